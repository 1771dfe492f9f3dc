import pytest
import torch


@pytest.fixture(autouse=True)
def one_thread():
    """These tests run many tiny operations. On a busy 2-core machine, waking a second
    OpenMP thread for each one costs milliseconds, more than the work itself; the facts
    tested do not depend on the thread count. The previous setting is restored after."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
