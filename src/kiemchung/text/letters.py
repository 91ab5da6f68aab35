"""Vietnamese letter classes for regular expressions (Python's ``re`` has no \\p{Lu})."""

#: Upper-case Vietnamese letters (precomposed, as in NFC text).
UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
