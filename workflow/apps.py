from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "审查流程"

    def ready(self) -> None:
        from standards import access

        from . import permissions

        # The one place that decides actions on standards decides editing as well.
        access.decide_edits_with(permissions.can_edit)
