"""A compact DETR without torchvision: ResNet, sine positions, transformer, heads.

The parameter names follow the authors' model, so that the published DETR-R50 checkpoint
loads with strict=True; the same classes, made small, are trained on synthetic shapes.
The regions below form this one file, in page order; a region that uses an earlier one says
so with `# needs:` (on the page: the blocks above it).
"""

# --8<-- [start:frozen_batchnorm]
import torch
from torch import nn


class FrozenBatchNorm2d(nn.Module):
    """Batch norm with fixed statistics and affine parameters, all stored as buffers.

    DETR trains with batches of 2-4 large images per GPU, too few for batch statistics,
    so the ImageNet statistics of the backbone are frozen. No parameter, no update.
    """

    def __init__(self, channels, eps=1e-5):
        super().__init__()
        self.eps = eps
        for name, value in [("weight", 1.0), ("bias", 0.0),
                            ("running_mean", 0.0), ("running_var", 1.0)]:
            self.register_buffer(name, torch.full((channels,), value))

    def forward(self, x):
        w, b = self.weight.reshape(1, -1, 1, 1), self.bias.reshape(1, -1, 1, 1)
        mean = self.running_mean.reshape(1, -1, 1, 1)
        var = self.running_var.reshape(1, -1, 1, 1)
        scale = w * (var + self.eps).rsqrt()
        shift = b - mean * scale
        return x * scale + shift
# --8<-- [end:frozen_batchnorm]


# needs: frozen_batchnorm
# --8<-- [start:resnet_backbone]
import torch
from torch import nn


class Bottleneck(nn.Module):
    """1x1 reduce -> 3x3 (carries the stride) -> 1x1 expand by 4, plus a shortcut."""

    def __init__(self, in_channels, planes, stride, norm):
        super().__init__()
        out_channels = planes * 4
        self.conv1 = nn.Conv2d(in_channels, planes, 1, bias=False)
        self.bn1 = norm(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = norm(planes)
        self.conv3 = nn.Conv2d(planes, out_channels, 1, bias=False)
        self.bn3 = norm(out_channels)
        self.relu = nn.ReLU()
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                norm(out_channels))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(out + shortcut)


class ResNetBody(nn.Module):
    """The convolutional trunk of a ResNet, without pooling head and classifier.

    blocks=(3, 4, 6, 3), width=64 is ResNet-50; its output has 2048 channels at stride 32.
    Stage i (layer1, layer2, ...) has width * 2**i planes and halves the resolution,
    except the first, which follows a stride-4 stem (7x7 conv, stride 2, max pooling).
    """

    def __init__(self, blocks=(3, 4, 6, 3), width=64, norm=FrozenBatchNorm2d):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False)
        self.bn1 = norm(width)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.stages = len(blocks)
        channels = width
        for i, count in enumerate(blocks):
            planes = width * 2**i
            layer = [Bottleneck(channels, planes, 1 if i == 0 else 2, norm)]
            layer += [Bottleneck(planes * 4, planes, 1, norm) for _ in range(count - 1)]
            setattr(self, f"layer{i + 1}", nn.Sequential(*layer))
            channels = planes * 4
        self.num_channels = channels

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for i in range(self.stages):
            x = getattr(self, f"layer{i + 1}")(x)
        return x


class Backbone(nn.Module):
    """Holds the trunk as `body`, for the checkpoint's `backbone.0.body.*` names."""

    def __init__(self, body):
        super().__init__()
        self.body = body
        self.num_channels = body.num_channels

    def forward(self, x):
        return self.body(x)
# --8<-- [end:resnet_backbone]


# --8<-- [start:sine_positions]
import math

import torch
from torch import nn


class PositionEmbeddingSine(nn.Module):
    """Fixed 2-D sine/cosine positions, counted over the valid (unpadded) pixels only.

    y and x are the cumulative counts of valid cells, scaled to (0, 2*pi]; each is encoded
    with `features` sines and cosines of geometric frequencies; y first, then x.
    """

    def __init__(self, features=128, temperature=10000, scale=2 * math.pi):
        super().__init__()
        self.features, self.temperature, self.scale = features, temperature, scale

    def forward(self, mask):  # mask: (B, H, W), True on padding
        valid = ~mask
        y = valid.cumsum(1, dtype=torch.float32)
        x = valid.cumsum(2, dtype=torch.float32)
        eps = 1e-6
        y = y / (y[:, -1:, :] + eps) * self.scale
        x = x / (x[:, :, -1:] + eps) * self.scale
        i = torch.arange(self.features, dtype=torch.float32, device=mask.device)
        freq = self.temperature ** (2 * (i // 2) / self.features)
        pos_x, pos_y = x[:, :, :, None] / freq, y[:, :, :, None] / freq
        # interleave: sin of even frequencies, cos of odd ones
        pos_x = torch.stack((pos_x[..., 0::2].sin(), pos_x[..., 1::2].cos()), 4)
        pos_y = torch.stack((pos_y[..., 0::2].sin(), pos_y[..., 1::2].cos()), 4)
        pos_x, pos_y = pos_x.flatten(3), pos_y.flatten(3)
        return torch.cat((pos_y, pos_x), dim=3).permute(0, 3, 1, 2)  # (B, 2F, H, W)
# --8<-- [end:sine_positions]


# --8<-- [start:transformer]
import torch
from torch import nn


class EncoderLayer(nn.Module):
    """Post-norm: x = norm(x + attention), x = norm(x + feed-forward).

    Positions are added to queries and keys at every layer, never to the values.
    """

    def __init__(self, d, heads, ff, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=dropout)
        self.linear1, self.linear2 = nn.Linear(d, ff), nn.Linear(ff, d)
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.dropout = nn.Dropout(dropout)

    def forward(self, src, padding, pos):  # src, pos: (HW, B, d)
        q = k = src + pos
        attended = self.self_attn(q, k, src, key_padding_mask=padding)[0]
        src = self.norm1(src + self.dropout(attended))
        ffn = self.linear2(self.dropout(torch.relu(self.linear1(src))))
        return self.norm2(src + self.dropout(ffn))


class DecoderLayer(nn.Module):
    """Self-attention among the queries, cross-attention to the image, feed-forward."""

    def __init__(self, d, heads, ff, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=dropout)
        self.multihead_attn = nn.MultiheadAttention(d, heads, dropout=dropout)
        self.linear1, self.linear2 = nn.Linear(d, ff), nn.Linear(ff, d)
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.norm3 = nn.LayerNorm(d)
        self.dropout = nn.Dropout(dropout)

    def forward(self, tgt, memory, padding, pos, query_pos):  # tgt, query_pos: (N, B, d)
        q = k = tgt + query_pos
        tgt = self.norm1(tgt + self.dropout(self.self_attn(q, k, tgt)[0]))
        cross = self.multihead_attn(tgt + query_pos, memory + pos, memory,
                                    key_padding_mask=padding)[0]
        tgt = self.norm2(tgt + self.dropout(cross))
        ffn = self.linear2(self.dropout(torch.relu(self.linear1(tgt))))
        return self.norm3(tgt + self.dropout(ffn))


class Encoder(nn.Module):
    def __init__(self, layers, d, heads, ff, dropout):
        super().__init__()
        self.layers = nn.ModuleList(
            EncoderLayer(d, heads, ff, dropout) for _ in range(layers))

    def forward(self, src, padding, pos):
        for layer in self.layers:
            src = layer(src, padding, pos)
        return src


class Decoder(nn.Module):
    """Returns every layer's output, normalized, for the heads and auxiliary losses."""

    def __init__(self, layers, d, heads, ff, dropout):
        super().__init__()
        self.layers = nn.ModuleList(
            DecoderLayer(d, heads, ff, dropout) for _ in range(layers))
        self.norm = nn.LayerNorm(d)

    def forward(self, tgt, memory, padding, pos, query_pos):
        outputs = []
        for layer in self.layers:
            tgt = layer(tgt, memory, padding, pos, query_pos)
            outputs.append(self.norm(tgt))
        return torch.stack(outputs)  # (layers, N, B, d)


class Transformer(nn.Module):
    def __init__(self, d=256, heads=8, enc_layers=6, dec_layers=6, ff=2048, dropout=0.1):
        super().__init__()
        self.encoder = Encoder(enc_layers, d, heads, ff, dropout)
        self.decoder = Decoder(dec_layers, d, heads, ff, dropout)
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)

    def forward(self, src, padding, queries, pos):
        """src, pos: (B, d, H, W); padding: (B, H, W); queries: (N, d).

        Returns the decoder outputs, (layers, B, N, d).
        """
        batch = src.shape[0]
        src = src.flatten(2).permute(2, 0, 1)  # (HW, B, d): a token per feature-map cell
        pos = pos.flatten(2).permute(2, 0, 1)
        padding = padding.flatten(1)
        query_pos = queries.unsqueeze(1).repeat(1, batch, 1)
        memory = self.encoder(src, padding, pos)
        tgt = torch.zeros_like(query_pos)  # start from zeros; queries act as positions
        return self.decoder(tgt, memory, padding, pos, query_pos).transpose(1, 2)
# --8<-- [end:transformer]


# needs: resnet_backbone, sine_positions
# --8<-- [start:detr_model]
import torch
import torch.nn.functional as F
from torch import nn


class MLP(nn.Module):
    """Linear layers with ReLU between them: the box head (3 layers in DETR)."""

    def __init__(self, d_in, d_hidden, d_out, layers):
        super().__init__()
        sizes = [d_in] + [d_hidden] * (layers - 1) + [d_out]
        pairs = zip(sizes[:-1], sizes[1:], strict=True)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in pairs)

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x) if i == len(self.layers) - 1 else torch.relu(layer(x))
        return x


class DETR(nn.Module):
    """CNN -> 1x1 projection -> encoder/decoder with N learned queries -> two heads.

    Every query yields num_classes + 1 logits (the last one is "no object") and a box
    (cx, cy, w, h) in [0, 1] relative to the image. No anchors, no NMS.
    """

    def __init__(self, body, transformer, num_classes, num_queries):
        super().__init__()  # attribute order = the official state_dict order
        self.num_queries = num_queries
        self.transformer = transformer
        d = transformer.decoder.norm.normalized_shape[0]
        self.class_embed = nn.Linear(d, num_classes + 1)
        self.bbox_embed = MLP(d, d, 4, 3)
        self.query_embed = nn.Embedding(num_queries, d)
        self.input_proj = nn.Conv2d(body.num_channels, d, kernel_size=1)
        # index 0: the CNN, index 1: positions (no weights) -> names backbone.0.body.*
        self.backbone = nn.ModuleList([Backbone(body), PositionEmbeddingSine(d // 2)])

    def forward(self, images, mask=None):
        """images: (B, 3, H, W), normalized; mask: (B, H, W), True on padding, or None."""
        if mask is None:
            mask = torch.zeros_like(images[:, 0], dtype=torch.bool)
        features = self.backbone[0](images)
        mask = F.interpolate(mask[None].float(), size=features.shape[-2:])[0] > 0.5
        pos = self.backbone[1](mask).to(features.dtype)
        hs = self.transformer(self.input_proj(features), mask, self.query_embed.weight,
                              pos)
        logits, boxes = self.class_embed(hs), self.bbox_embed(hs).sigmoid()
        aux = [{"pred_logits": c, "pred_boxes": b}
               for c, b in zip(logits[:-1], boxes[:-1], strict=True)]
        return {"pred_logits": logits[-1], "pred_boxes": boxes[-1], "aux_outputs": aux}
# --8<-- [end:detr_model]


# needs: frozen_batchnorm, resnet_backbone, transformer, detr_model
# --8<-- [start:configs]
import torch
from torch import nn

# The paper's DETR-R50 (Carion et al., section 4): d = 256, 8 heads, 6 + 6 layers,
# feed-forward 2048, 100 queries, COCO's 91 category ids (+1 for "no object").
R50_CONFIG = {"blocks": [3, 4, 6, 3], "width": 64, "norm": "frozen",
              "hidden_dim": 256, "nheads": 8, "enc_layers": 6, "dec_layers": 6,
              "dim_feedforward": 2048, "dropout": 0.1,
              "num_queries": 100, "num_classes": 91}

# The same code, small: a two-stage ResNet (stride 8) with trainable batch norm,
# d = 128, 2 + 3 layers, 10 queries, 3 shape classes, trained on generated shapes.
SHAPES_CONFIG = {"blocks": [1, 2], "width": 16, "norm": "batch",
                 "hidden_dim": 128, "nheads": 4, "enc_layers": 2, "dec_layers": 3,
                 "dim_feedforward": 256, "dropout": 0.0,
                 "num_queries": 10, "num_classes": 3}


def build_detr(config):
    """A DETR from a config dict of plain types (saved beside the weights)."""
    norm = {"frozen": FrozenBatchNorm2d, "batch": nn.BatchNorm2d}[config["norm"]]
    body = ResNetBody(config["blocks"], config["width"], norm)
    transformer = Transformer(config["hidden_dim"], config["nheads"],
                              config["enc_layers"], config["dec_layers"],
                              config["dim_feedforward"], config["dropout"])
    return DETR(body, transformer, config["num_classes"], config["num_queries"])


if __name__ == "__main__":
    torch.manual_seed(0)
    for name, config in [("DETR-R50", R50_CONFIG), ("shapes DETR", SHAPES_CONFIG)]:
        model = build_detr(config)
        params = sum(p.numel() for p in model.parameters())
        print(f"{name:12s} {len(model.state_dict()):3d} tensors, {params:,} parameters")
# --8<-- [end:configs]
