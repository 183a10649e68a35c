from tests.workflow.conftest import cast, version  # noqa: F401  (shared fixtures)
