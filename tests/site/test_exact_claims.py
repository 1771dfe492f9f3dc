"""Every place an article says two results are exactly equal names the test that proves it
with an exact equality.

"Bit for bit", "bitwise", "bit-identical", "逐位", "完全相同" and "完全一致" are promises that
no tolerance hides a difference. Each occurrence on a page (both languages) must be covered
by an entry of EXACT below: a phrase of the sentence, and the test whose body compares
exactly (torch.equal, ==, assert_array_equal, ...) with no tolerance (allclose, atol, rtol,
approx, isclose). A sentence that means "equal to 1e-12" must say so instead.
"""

from __future__ import annotations

import ast
import re

import pytest

from tools.regions import LANGS, ROOT, pages, strip_fences

PHRASES = re.compile(r"bit[ -]for[ -]bit|bitwise|bit-identical|逐位(?!置)|完全相同|完全一致", re.I)
TOLERANCE = re.compile(r"allclose|isclose|atol|rtol|approx|assert_close|tolerance")
EXACT_CHECK = re.compile(r"torch\.equal|array_equal|==|\bis\b|assert_array_equal")

# {slug: [(lang, words of the sentence that make the claim, test that proves it)]}
NN = "tests/nn_vs_functional/"
SPP_SPPF = "tests/spp/test_yolo_block.py::test_sppf_equals_spp_5_9_13_bitwise"
EXACT: dict[str, list[tuple[str, str, str]]] = {
    "nn-vs-functional": [
        ("en", "the result equals the module's bit for bit",
         NN + "test_same_computation.py::test_f_conv2d_with_the_modules_weights_equals_the_module_bitwise"),
        ("en", "It is bit for bit because it is the same code path",
         NN + "test_same_computation.py::test_f_conv2d_with_the_modules_weights_equals_the_module_bitwise"),
        ("en", "equals the module's in `eval()` bit for bit",
         NN + "test_batch_norm.py::test_functional_batch_norm_in_eval_equals_module_in_eval"),
        ("zh", "结果与调用模块逐位相同",
         NN + "test_same_computation.py::test_f_conv2d_with_the_modules_weights_equals_the_module_bitwise"),
        ("zh", "之所以逐位相同，是因为走的是同一条代码路径",
         NN + "test_same_computation.py::test_f_conv2d_with_the_modules_weights_equals_the_module_bitwise"),
        ("zh", "结果与 `eval()` 下的模块逐位相同",
         NN + "test_batch_norm.py::test_functional_batch_norm_in_eval_equals_module_in_eval"),
    ],
    "spp": [
        ("en", "the outputs are equal bit for bit", SPP_SPPF),
        ("en", "(`test_sppf_equals_spp_5_9_13_bitwise`)", SPP_SPPF),
        ("zh", "没有舍入，所以输出逐位相同", SPP_SPPF),
        ("zh", "`torch.equal` 判定 SPPF 与 SPP(5, 9, 13) 相等", SPP_SPPF),
        ("zh", "格子与自适应池化完全一致",
         "tests/spp/test_detection.py::test_fast_rcnn_bins_are_the_adaptive_bins_for_7x7_in_float32_up_to_56_cells"),
        ("zh", "只有 $r = 0$ 和 $r = 1$ 与自适应分格完全一致",
         "tests/spp/test_paper_bins.py::test_paper_formula_agrees_with_adaptive_exactly_when_a_mod_n_is_0_or_1"),
    ],
    "ddp": [
        ("en", "weights of all ranks are bitwise equal",
         "tests/ddp/test_train.py::test_every_rank_ends_with_identical_parameters"),
        ("zh", "所有 rank 的权重逐位相同", "tests/ddp/test_train.py::test_every_rank_ends_with_identical_parameters"),
        ("en", "ends with weights bit for bit equal to the run that never stopped",
         "tests/ddp/test_resume.py::test_resumed_run_equals_the_uninterrupted_run_bitwise"),
        ("zh", "正确续训的最终权重与从未中断的那次逐位相同",
         "tests/ddp/test_resume.py::test_resumed_run_equals_the_uninterrupted_run_bitwise"),
    ],
    "detr": [
        ("en", "gets bit-identical weights",
         "tests/detr/test_train.py::test_two_short_runs_of_the_training_script_give_bit_identical_weights"),
        ("zh", "两遍得到的权重逐位相同",
         "tests/detr/test_train.py::test_two_short_runs_of_the_training_script_give_bit_identical_weights"),
    ],
    "face-recognition": [
        ("en", "$m = 0$ gives normalized softmax bit for bit",
         "tests/face_recognition/test_margins.py::test_zero_margin_is_normalized_softmax_bitwise"),
        ("zh", "就是归一化 softmax（这里逐位相等）",
         "tests/face_recognition/test_margins.py::test_zero_margin_is_normalized_softmax_bitwise"),
        ("zh", "$m = 0$ 时逐位等于归一化 softmax",
         "tests/face_recognition/test_margins.py::test_zero_margin_is_normalized_softmax_bitwise"),
    ],
    "gradient-checkpointing": [
        ("en", "The gradients are bitwise equal",
         "tests/gradient_checkpointing/test_basics.py::test_checkpointing_every_block_gives_bitwise_equal_loss_and_gradients"),
        ("zh", "梯度逐位相同；保存的张量从 36 个降到 18 个",
         "tests/gradient_checkpointing/test_basics.py::test_checkpointing_every_block_gives_bitwise_equal_loss_and_gradients"),
        ("en", "the gradients equal the plain run's bit for bit",
         "tests/gradient_checkpointing/test_rng.py::test_preserved_rng_state_gives_bitwise_equal_gradients_with_dropout"),
        ("zh", "`preserve_rng_state=True` 时梯度与不做检查点逐位相同",
         "tests/gradient_checkpointing/test_rng.py::test_preserved_rng_state_gives_bitwise_equal_gradients_with_dropout"),
        ("zh", "保存的张量数与不做检查点完全相同",
         "tests/gradient_checkpointing/test_segments.py::test_relu_blocks_share_tensors_so_each_block_adds_one"),
    ],
    "pdb": [
        ("zh", "`PYTHONBREAKPOINT=0` 时的输出与去掉 `breakpoint()` 之后程序本来的输出完全相同",
         "tests/pdb/test_inline.py::test_pythonbreakpoint_0_leaves_the_output_untouched"),
    ],
    "inheritance-mro": [
        ("zh", "检查它与 `__mro__` 完全一致",
         "tests/inheritance_mro/test_c3.py::test_hand_c3_equals_mro_on_random_hierarchies"),
        ("zh", "`class A:` 与 `class A(object):` 完全相同",
         "tests/inheritance_mro/test_basics.py::test_class_a_and_class_a_object_are_the_same_in_python_3"),
    ],
}


def occurrences(slug: str, lang: str) -> list[str]:
    """The lines of the page's prose that make an exact-equality claim."""
    text = strip_fences(pages(lang)[slug].read_text(encoding="utf-8"))
    return [line for line in text.splitlines() if PHRASES.search(line) and not line.startswith("--8<--")]


def body_of(node_id: str) -> str:
    path, _, name = node_id.partition("::")
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_source_segment((ROOT / path).read_text(encoding="utf-8"), node)
    raise AssertionError(f"{node_id}: no such test")


@pytest.mark.parametrize("slug", sorted(pages("en")))
def test_each_exact_claim_names_a_test(slug):
    entries = EXACT.get(slug, [])
    uncovered = [f"{lang}: {line.strip()[:120]}" for lang in LANGS for line in occurrences(slug, lang)
                 if not any(e_lang == lang and words in line for e_lang, words, _ in entries)]
    assert not uncovered, "exact-equality claims without a test in EXACT:\n" + "\n".join(uncovered)
    stale = [words for lang, words, _ in entries if not any(words in line for line in occurrences(slug, lang))]
    assert not stale, f"EXACT lists claims the page no longer makes: {stale}"


@pytest.mark.parametrize("node_id", sorted({test for entries in EXACT.values() for _, _, test in entries}))
def test_the_test_behind_an_exact_claim_compares_exactly(node_id):
    body = body_of(node_id)
    assert EXACT_CHECK.search(body), f"{node_id} makes no exact comparison"
    assert not TOLERANCE.search(body), f"{node_id} compares with a tolerance"
