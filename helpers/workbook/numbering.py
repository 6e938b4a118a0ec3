"""Every table's number, from one list in the order the report shows them: a caption or a
sentence asks for a table's number by its name, so no number is typed and a new table renumbers
all the others. Text that is not code, such as a question in a cell's metadata, names a table
as {table:NAME} (`numbered`)."""
import re

TABLES = (
    "gradients against centred differences",   # 02_gradients
    "gradients against PyTorch",
    "sampling settings",                       # 04_sampling
    "mini-batches",                            # 05_extensions
    "gated gradients",                         # 06_gated
    "gated models",
    "counting",                                # 07_inside
    "surprisal by kind",
    "units",
    "gated units",
    "compressors",                             # 08_compression
    "protocols",
    "coders",
)


def table(name):
    """'Table 12' for the table called `name` in TABLES."""
    if name not in TABLES:
        raise KeyError(f"no table called {name!r} in helpers.workbook.numbering.TABLES")
    return f"Table {TABLES.index(name) + 1}"


def numbered(text):
    """`text` with each {table:NAME} written as that table's number: 'How much (Table 12)?'."""
    return re.sub(r"\{table:([^}]*)\}", lambda m: table(m.group(1)), text)
