"""Pages: the IT asset list with the advisories that concern each asset, adding and importing assets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sonae.orgs.access import org_view
from sonae.orgs.choices import Role

from . import selectors
from .forms import AssetForm, AssetImportForm
from .services import asset_delete, asset_save, assets_import
from .tabular import MAX_FILE_BYTES, AssetFileError, assets_csv, read_asset_file


@org_view(read=Role.VIEWER, write=Role.EDITOR)
@require_safe
def assets_home(request: HttpRequest, org) -> HttpResponse:
    return render(request, "assets/home.html", _home_context(request, org, AssetImportForm()))


def _home_context(request, org, import_form, **extra) -> dict:
    assets = selectors.assets_with_matches(org)
    return {
        "org": org, "assets": assets, "imports": selectors.latest_imports(3),
        "matched": sum(1 for a in assets if a.sorted_matches),
        "can_write": request.org_access.can_write, "import_form": import_form, **extra,
    }


def _asset_form_page(request, org, form, asset=None, status=200):
    return render(request, "assets/form.html", {"org": org, "form": form, "asset": asset}, status=status)


@org_view(read=Role.EDITOR, write=Role.EDITOR)
def assets_new(request: HttpRequest, org) -> HttpResponse:
    form = AssetForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            asset = asset_save(org=org, by=request.user, **form.cleaned_data)
            messages.success(request, _("「%(name)s」を登録しました。") % {"name": asset.name})
            return redirect("assets_home", org_id=org.id)
        return _asset_form_page(request, org, form, status=400)
    return _asset_form_page(request, org, form)


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def assets_edit(request: HttpRequest, org, asset_id: int) -> HttpResponse:
    asset = selectors.get_asset_for_user(request.org_access, asset_id)
    form = AssetForm(request.POST or None, instance=asset)
    if not request.org_access.can_write:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST":
        if form.is_valid():
            asset_save(org=org, by=request.user, asset=selectors.get_asset_for_user(request.org_access, asset_id), **form.cleaned_data)
            messages.success(request, _("変更を保存しました。"))
            return redirect("assets_home", org_id=org.id)
        return _asset_form_page(request, org, form, asset, status=400)
    matches = selectors.assets_with_matches(org)
    current = next((a for a in matches if a.id == asset.id), asset)
    return render(request, "assets/form.html", {"org": org, "form": form, "asset": current,
                                                "can_write": request.org_access.can_write})


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def assets_delete(request: HttpRequest, org, asset_id: int) -> HttpResponse:
    asset = selectors.get_asset_for_user(request.org_access, asset_id)
    asset_delete(asset=asset, by=request.user)
    messages.success(request, _("削除しました。"))
    return redirect("assets_home", org_id=org.id)


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def assets_import_view(request: HttpRequest, org) -> HttpResponse:
    form = AssetImportForm(request.POST, request.FILES)
    errors: list = []
    problem = ""
    if not form.is_valid():
        problem = " ".join(str(e) for e in form.errors.get("file", [])) or _("ファイルを選んでください。")
    else:
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_FILE_BYTES:
                raise AssetFileError(_("ファイルが大きすぎます（上限 %(mb)s MB）。") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
            rows, errors = read_asset_file(upload.read(MAX_FILE_BYTES + 1), upload.name or "")
            if not errors:
                try:
                    created = assets_import(org=org, by=request.user, rows=rows, file_name=upload.name or "")
                except ValidationError as exc:
                    problem = "; ".join(exc.messages)
                else:
                    messages.success(request, _("%(n)s件の資産を取り込みました。") % {"n": len(created)})
                    return redirect("assets_home", org_id=org.id)
        except AssetFileError as exc:
            problem = str(exc)
    context = _home_context(request, org, form, import_errors=errors[:200], import_error_count=len(errors), import_problem=problem)
    return render(request, "assets/home.html", context, status=400)


@org_view(read=Role.VIEWER, write=Role.EDITOR)
@require_safe
def assets_export(request: HttpRequest, org) -> HttpResponse:
    response = HttpResponse(assets_csv(selectors.assets_with_matches(org)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="it-assets-{org.id}.csv"'
    return response


@org_view(read=Role.VIEWER, write=Role.EDITOR)
@require_safe
def assets_advisories(request: HttpRequest, org) -> HttpResponse:
    return render(request, "assets/advisories.html", {
        "org": org, "imports": selectors.latest_imports(10), "advisories": selectors.recent_advisories(100),
    })
