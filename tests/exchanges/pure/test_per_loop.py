import asyncio
import gc

import pytest

from exchanges.pure.per_loop import PerLoop


class Thing:
    pass


def test_one_object_per_loop_made_on_first_use():
    made = []

    def make():
        made.append(Thing())
        return made[-1]

    objects = PerLoop(make)

    async def twice():
        return objects.get(), objects.get()

    first = asyncio.run(twice())
    second = asyncio.run(twice())
    assert first[0] is first[1]
    assert second[0] is second[1]
    assert first[0] is not second[0]
    assert made == [first[0], second[0]]


def test_a_closed_loop_takes_its_object_with_it():
    objects = PerLoop(Thing)
    loop = asyncio.new_event_loop()

    async def use():
        objects.get()

    loop.run_until_complete(use())
    assert len(objects._made) == 1
    loop.close()
    del loop
    gc.collect()
    assert len(objects._made) == 0


def test_outside_a_running_loop_it_refuses():
    with pytest.raises(RuntimeError):
        PerLoop(Thing).get()
