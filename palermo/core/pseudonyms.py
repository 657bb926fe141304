"""Pseudonyms: how a person is shown by default. Readable (an operator can say it on the phone),
meaningless (no hint of name, origin or gender), unique."""

from __future__ import annotations

import secrets

ADJECTIVES = (
    "Amber Azure Birch Bright Calm Cedar Clear Cobalt Coral Crisp Dawn Dusk Ember Fern Frost Golden Granite "
    "Hazel Indigo Ivory Jade Juniper Lilac Linen Maple Meadow Misty Moss Nimble Oak Ochre Olive Opal Pearl "
    "Pine Quiet Rapid River Russet Sage Sandy Silver Slate Solar Spruce Steady Stone Swift Teal Tidal Umber "
    "Velvet Willow Winter"
).split()
NOUNS = (
    "Albatross Badger Bison Crane Dolphin Egret Falcon Finch Fox Gazelle Heron Ibis Jay Kestrel Kite Lark "
    "Lynx Marten Merlin Moth Narwhal Newt Oriole Otter Owl Panda Pelican Plover Puffin Quail Raven Robin "
    "Salmon Seal Sparrow Stork Swallow Swift Tern Thrush Trout Turtle Vole Walrus Wren Yak Zebu"
).split()


def new_pseudonym(rng: secrets.SystemRandom | None = None) -> str:
    rng = rng or secrets.SystemRandom()
    return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.randrange(100, 1000)}"
