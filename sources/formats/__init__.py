"""Export and import formats: one module per format, pure (plain records in, a byte stream out; a file in,
records out or a FormatError naming the line or record and the field). See records.py for the keys.

Offsets in every format count Unicode code points and are end-exclusive."""
