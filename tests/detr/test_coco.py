from snippets.detr.coco import COCO_CLASSES, COCO_NAMES


def test_coco_has_80_named_categories_among_91_ids():
    assert len(COCO_NAMES) == 80
    assert len(COCO_CLASSES) == 91  # DETR-R50: 91 classes + "no object" = 92 logits


def test_unused_ids_are_the_eleven_gaps():
    assert [i for i, name in enumerate(COCO_CLASSES) if name == "N/A"] == [0, 12, 26, 29, 30, 45, 66, 68, 69, 71, 83]


def test_well_known_ids():
    assert (COCO_CLASSES[1], COCO_CLASSES[3], COCO_CLASSES[18], COCO_CLASSES[90]) == ("person", "car", "dog",
                                                                                    "toothbrush")
    assert len(set(COCO_NAMES.values())) == 80
