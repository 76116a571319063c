"""The VMI ABI code generator: spec/vmi.toml -> abi/ headers and spec/VMI.md."""
