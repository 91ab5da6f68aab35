"""Vietnamese letter classes for regular expressions (Python's ``re`` has no \\p{Lu})."""

#: Upper-case Vietnamese letters (precomposed, as in NFC text).
UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
#: Lower-case Vietnamese letters, the same set.
LOWER = UPPER.lower()
#: Vowels of both cases, with every tone and hat. A Vietnamese syllable always holds one, so a
#: capitalised "word" without any ("SĐT", "CCCD", "STK") is an abbreviation, never a name.
VOWELS = (
    "AĂÂEÊIOÔƠUƯY"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
    "aăâeêioôơuưy"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
