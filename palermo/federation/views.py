"""The inbox partners deliver to: POST a JWE compact token (application/jose), get a sealed answer."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from palermo.federation import inbox, services

JOSE = "application/jose"


@csrf_exempt  # no session: the message authenticates itself by its signature
@require_POST
def receive(request):
    try:
        services.profile()
    except services.NotInitialised:
        return JsonResponse({"detail": "this instance takes part in no federation"}, status=404)
    try:
        token = request.body.decode("ascii").strip()
    except UnicodeDecodeError:
        token = ""
    answer = inbox.receive(token)
    if answer.sealed:
        return HttpResponse(answer.sealed, status=answer.status, content_type=JOSE)
    return JsonResponse({"refused": answer.refusal}, status=answer.status)
