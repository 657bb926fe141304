"""Pure-Python rules of the protection domain (no Django): screening, Palermo test, decisions, guards.

The Django layer calls these functions and stores what they return; every automated judgement
carries a human-readable explanation so a case manager can see and contest why.
"""
