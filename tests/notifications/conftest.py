import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's after-commit work (signals, the fan-out task, email) as if it had
    committed: ``with committed(): ...``."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
