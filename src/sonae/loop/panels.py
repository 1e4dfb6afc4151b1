def dashboard_panel(request, org) -> str:
    return ""
