from snippets.nn_vs_functional import sequential
from tools.outputs import run_region
from tools.regions import Include

REGION = Include("snippets/nn_vs_functional/sequential.py", "sequential_needs_modules")


def test_sequential_rejects_a_function_with_type_error():
    first = run_region(REGION).splitlines()[0]
    assert first == "TypeError: torch.nn.functional.relu is not a Module subclass"


def test_eval_reaches_every_layer_of_a_sequential():
    model = sequential.model
    assert len(model) == 3 and all(not layer.training for layer in model)  # the region's eval()
    model.train()
    assert all(layer.training for layer in model)
    model.eval()
    assert all(not layer.training for layer in model)
