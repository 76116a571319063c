"""The spec's type names ("u64", "u64 *", "const struct vmi_desc_ptr *") and
their C spellings and sizes."""

POINTER_SIZE = 8


class TypeSystem:
    def __init__(self, primitives, structs):
        self.primitives = primitives
        self.structs = {s.get("name"): s for s in structs}

    def _base(self, spelled):
        """Splits a spelling into (const, base name, pointer depth)."""
        text = spelled.strip()
        const = text.startswith("const ")
        if const:
            text = text[len("const "):].strip()
        depth = 0
        while text.endswith("*"):
            depth += 1
            text = text[:-1].strip()
        return const, text, depth

    def c_type(self, spelled):
        """Returns the C spelling, or None for an unknown type."""
        if not isinstance(spelled, str):
            return None
        const, base, depth = self._base(spelled)
        if base in self.primitives:
            c = self.primitives[base]["c"]
        elif base.startswith("struct vmi_") and base[len("struct vmi_"):] in self.structs:
            c = base
        else:
            return None
        if depth == 0 and (const or base.startswith("struct")):
            return None  # structs travel by pointer only
        if c == "void" and depth == 0 and spelled.strip() != "void":
            return None
        return ("const " if const else "") + c + (" " + "*" * depth if depth else "")

    def size_of(self, name):
        """Size in bytes of a primitive (layout fields use primitives only)."""
        entry = self.primitives.get(name)
        return None if entry is None else entry["size"]
