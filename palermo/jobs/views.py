"""A job's page and its progress fragment (polled by HTMX until the job has finished), and its file."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from palermo.core.selectors import NotVisible
from palermo.jobs import selectors as S
from palermo.jobs import services


def _job_or_404(request, pk):
    try:
        return S.job_for(request.user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


@login_required
def job_list(request):
    return render(request, "jobs/list.html", {"jobs": [(job, S.kind_label(job)) for job in S.jobs(request.user)[:100]]})


@login_required
def job_detail(request, pk):
    job = _job_or_404(request, pk)
    template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/job.html"
    return render(request, template, {"job": job, "label": S.kind_label(job),
                                      "may_download": S.may_download(request.user, job)})


@login_required
def job_download(request, pk):
    try:
        job, path = services.open_result_file(request.user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
