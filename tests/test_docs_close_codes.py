"""The README's list of the room socket's close codes is the one the code sends: a
non-member hears 4404 like a stranger to a room that does not exist (the behaviour
itself is tested in tests/exchanges/test_consumers.py)."""

import re
from pathlib import Path

from exchanges.realtime import protocol

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def _listed_codes() -> dict[int, str]:
    start = README.index("The close codes sent:")
    listing = " ".join(README[start:README.index("Logout and", start)].split())
    return {int(code): said for code, said in re.findall(r"(44\d\d) ([a-z][^,(]*)", listing)}


def test_the_readme_lists_every_close_code_the_server_sends():
    # Every close code protocol.py names is sent, but the one kept for old clients.
    sent = {value for name, value in vars(protocol).items()
            if name.startswith("CLOSE_") and name != "CLOSE_NOT_MEMBER"}
    listed = _listed_codes()
    assert sent <= set(listed)
    assert protocol.CLOSE_NOT_MEMBER not in listed, "4403 is named but never sent"


def test_the_readme_says_a_non_member_is_closed_with_4404_not_4403():
    listed = _listed_codes()
    assert "no such room" in listed[protocol.CLOSE_NO_ROOM]
    assert "A non-member is closed with 4404" in " ".join(README.split())
    assert "4403 not a member" not in README
