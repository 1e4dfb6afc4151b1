"""Learning pages: the catalogue and the organisation's own trainings, assigning them, marking them done,
progress per training and per member with CSV and Excel export. The quiz pages are in quiz_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sonae.orgs.access import org_view
from sonae.orgs.choices import Role

from . import exports
from .forms import AssignmentForm, CompletionForm, OwnTrainingForm, max_pdf_bytes
from .selectors import (
    assignment_rows,
    catalog_entries,
    get_assignment_for_user,
    get_own_training_for_user,
    get_training_or_404,
    is_assigned,
    member_matrix,
    member_users,
    my_assignments,
    open_quiz_play,
    own_entries,
    quiz_history,
    topic_choices,
    topic_title,
    training_entry,
)
from .services import LearningError, assignment_create, assignment_withdraw, completion_record, own_training_delete, own_training_save
from .uploads import capped_pdf_uploads


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def learning_home(request: HttpRequest, org) -> HttpResponse:
    topic = request.GET.get("topic") or None
    if topic not in dict(topic_choices()):
        topic = None
    catalogue = catalog_entries(topic=topic)
    series: dict[str, list] = {}
    for entry in catalogue:
        series.setdefault(entry.series_title, []).append(entry)
    return render(request, "learning/home.html", {
        "org": org, "mine": my_assignments(org=org, user=request.user), "series": series,
        "own": own_entries(org=org, topic=topic), "topics": topic_choices(), "topic": topic,
        "topic_title": topic_title(topic) if topic else "", "can_write": request.org_access.can_write,
        "last_play": next(iter(quiz_history(org=org, user=request.user, limit=1)), None),
        "open_play": open_quiz_play(org=org, user=request.user), "today": timezone.localdate(),
    })


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def training_detail(request: HttpRequest, org, training_key: str) -> HttpResponse:
    entry = get_training_or_404(org=org, key=training_key)
    rows = [row for row in assignment_rows(org=org) if row.assignment.training_key == entry.key]
    return render(request, "learning/training.html", {
        "org": org, "entry": entry, "topics": [(t, topic_title(t)) for t in entry.topics], "rows": rows,
        "can_write": request.org_access.can_write,
    })


def _own_form_page(request: HttpRequest, org, form, training=None) -> HttpResponse:
    upload_too_large = getattr(request, "sonae_upload_too_large", False)
    if upload_too_large:
        form.add_error("file", _("ファイルが大きすぎます（%(mb)s MBまで）。") % {"mb": f"{max_pdf_bytes() / (1024 * 1024):.0f}"})
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/own_form.html", {"org": org, "form": form, "training": training}, status=status)


@capped_pdf_uploads
@org_view(read=Role.EDITOR, write=Role.EDITOR)
def own_training_new(request: HttpRequest, org) -> HttpResponse:
    form = OwnTrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not getattr(request, "sonae_upload_too_large", False) and form.is_valid():
        data = form.cleaned_data
        training = own_training_save(org=org, by=request.user, title=data["title"], url=data["url"], topics=data["topics"],
                                     description=data["description"], upload=data.get("file"))
        messages.success(request, _("教材を登録しました。"))
        return redirect("training_detail", org_id=org.id, training_key=training.key)
    return _own_form_page(request, org, form)


@capped_pdf_uploads
@org_view(read=Role.EDITOR, write=Role.EDITOR)
def own_training_edit(request: HttpRequest, org, own_training_id: int) -> HttpResponse:
    training = get_own_training_for_user(request.org_access, own_training_id)
    initial = {"title": training.title, "url": training.url, "topics": training.topics, "description": training.description}
    form = OwnTrainingForm(request.POST or None, request.FILES or None, instance=training, initial=initial)
    if request.method == "POST" and not getattr(request, "sonae_upload_too_large", False) and form.is_valid():
        data = form.cleaned_data
        own_training_save(org=org, by=request.user, training=training, title=data["title"], url=data["url"],
                          topics=data["topics"], description=data["description"], upload=data.get("file"),
                          remove_file=bool(data.get("remove_file")))
        messages.success(request, _("教材を保存しました。"))
        return redirect("training_detail", org_id=org.id, training_key=training.key)
    return _own_form_page(request, org, form, training)


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def own_training_delete_view(request: HttpRequest, org, own_training_id: int) -> HttpResponse:
    training = get_own_training_for_user(request.org_access, own_training_id)
    try:
        own_training_delete(training=training, by=request.user)
    except LearningError as exc:
        messages.error(request, exc.message)
        return redirect("training_detail", org_id=org.id, training_key=training.key)
    messages.success(request, _("教材を削除しました。"))
    return redirect("learning_home", org_id=org.id)


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def own_training_file(request: HttpRequest, org, own_training_id: int) -> HttpResponse:
    training = get_own_training_for_user(request.org_access, own_training_id)
    if not training.file:
        raise Http404
    # Always a download, never shown inline: an uploaded file must not run in our origin.
    name = training.file_name if training.file_name.lower().endswith(".pdf") else f"training-{training.id}.pdf"
    response = FileResponse(training.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@org_view(read=Role.EDITOR, write=Role.EDITOR)
def assignment_new(request: HttpRequest, org) -> HttpResponse:
    initial = {"training": request.GET.get("training", "")}
    form = AssignmentForm(request.POST or None, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = assignment_create(org=org, by=request.user, training_key=data["training"], everyone=data["everyone"],
                                           members=list(data["members"]), due_date=data["due_date"], note=data["note"])
        except LearningError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("学習を割り当てました。対象のメンバーには、期限が近づくとお知らせメールが届きます。"))
            return redirect("assignment_detail", org_id=org.id, assignment_id=assignment.id)
    return render(request, "learning/assign.html", {"org": org, "form": form},
                  status=400 if request.method == "POST" else 200)


@org_view(read=Role.VIEWER, write=Role.VIEWER)
def assignment_detail(request: HttpRequest, org, assignment_id: int) -> HttpResponse:
    """The assignment as its member sees it (mark it done) and, for owners and editors, who has finished."""
    assignment = get_assignment_for_user(request.org_access, assignment_id)
    entry = training_entry(org=org, key=assignment.training_key)
    row = next((r for r in assignment_rows(org=org, include_withdrawn=True) if r.assignment.id == assignment.id), None)
    mine = is_assigned(assignment, request.user)
    completion = row.done.get(request.user.id) if row else None
    check = entry.check if entry else None
    form = CompletionForm(request.POST or None, check=check) if mine and completion is None and assignment.is_active else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("この割り当ては、あなたが完了にできるものではありません。"))
            return redirect("assignment_detail", org_id=org.id, assignment_id=assignment.id)
        if form.is_valid():
            try:
                completion_record(assignment=assignment, user=request.user, completed_on=form.cleaned_data["completed_on"],
                                  answer=form.cleaned_data.get("answer"))
            except LearningError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("受講を記録しました。お疲れさまでした。"))
                return redirect("assignment_detail", org_id=org.id, assignment_id=assignment.id)
    return render(request, "learning/assignment.html", {
        "org": org, "assignment": assignment, "entry": entry, "row": row, "mine": mine, "completion": completion,
        "form": form, "check": check, "can_write": request.org_access.can_write, "today": timezone.localdate(),
    }, status=400 if request.method == "POST" else 200)


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def assignment_withdraw_view(request: HttpRequest, org, assignment_id: int) -> HttpResponse:
    assignment = get_assignment_for_user(request.org_access, assignment_id)
    if assignment.is_active:
        assignment_withdraw(assignment=assignment, by=request.user)
        messages.success(request, _("割り当てを取り下げました。受講の記録は残ります。"))
    return redirect("learning_progress", org_id=org.id)


@org_view(read=Role.EDITOR, write=Role.EDITOR)
def learning_progress(request: HttpRequest, org) -> HttpResponse:
    rows = assignment_rows(org=org)
    members = member_users(org)
    return render(request, "learning/progress.html", {
        "org": org, "rows": rows, "matrix": member_matrix(rows, members), "today": timezone.localdate(),
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
def learning_progress_export(request: HttpRequest, org, export_format: str) -> HttpResponse:
    rows = assignment_rows(org=org)
    members = member_users(org)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if export_format == "csv":
        response = HttpResponse(exports.progress_csv(rows, members).encode("utf-8"), content_type="text/csv; charset=utf-8")
    elif export_format == "xlsx":
        response = HttpResponse(exports.progress_xlsx(rows, members, organisation=org.name),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="learning-progress-{stamp}.{export_format}"'
    return response
