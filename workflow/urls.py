from django.urls import URLPattern

app_name = "workflow"

# The workflow's own pages under /workflow/ (a standard's story and actions are in ``standard_urls``). The
# work-progress page shares this namespace but is counted in reporting: ``config.urls`` joins it in.
urlpatterns: list[URLPattern] = []
