"""ISO 639-1 language codes and CEFR levels.

A static set keeps the engine free of data files and of Django.
"""

_CODES = """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
    cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
    ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw
    ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv
    ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr
    ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
    yo za zh zu
"""
ISO_639_1 = frozenset(_CODES.split())

# Rank order of proficiency; "native" counts above C2.
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
LEVEL_RANK = {name: rank for rank, name in enumerate(LEVELS, start=1)}

# A tandem partner can teach a language they speak at C1 or better (or natively).
TEACH_MIN_RANK = LEVEL_RANK["C1"]
# A citizen exchange needs a shared spoken language at B1 or better on both sides.
SHARED_MIN_RANK = LEVEL_RANK["B1"]


def level_name(rank: int) -> str:
    return LEVELS[rank - 1]
