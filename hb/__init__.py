"""The composition root: the app factory, the `hb` command and the demo. The only package that
imports every other one and wires them together (layers: core <- marketplace <- voucher <- search
<- admin <- hb)."""
