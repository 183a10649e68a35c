from tests.reporting.conftest import small  # noqa: F401  (the hand-counted catalogue of the reporting tests)
from tests.workflow.conftest import cast, version  # noqa: F401  (shared fixtures)
