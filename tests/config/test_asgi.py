import pytest
from channels.testing import HttpCommunicator, WebsocketCommunicator

from config.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@pytest.mark.django_db(transaction=True)
async def test_anonymous_websocket_is_refused_with_4401():
    communicator = WebsocketCommunicator(application, "/ws/rooms/1/", headers=[ORIGIN])
    try:
        connected, _ = await communicator.connect()
        # Accepted first, then closed, so that browsers see the application's close code.
        assert connected is True
        closed = await communicator.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": 4401}
    finally:
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_websocket_from_another_origin_is_refused():
    communicator = WebsocketCommunicator(
        application, "/ws/rooms/1/", headers=[(b"origin", b"https://evil.example")]
    )
    try:
        connected, _ = await communicator.connect()
        assert connected is False
    finally:
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_http_goes_through_django():
    communicator = HttpCommunicator(
        application, "GET", "/healthz", headers=[(b"host", b"localhost")]
    )
    response = await communicator.get_response()
    assert response["status"] == 200
    # No client address in this scope: the public answer, status only.
    assert response["body"] == b'{"status": "ok"}'
