"""WebSocket consumers (the chat protocol lives in ../shared/DESIGN.md)."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

CLOSE_NOT_LOGGED_IN = 4401
CLOSE_NOT_MEMBER = 4403
CLOSE_NO_ROOM = 4404
CLOSE_ROOM_CLOSED = 4410


class RoomConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_LOGGED_IN)
            return
        await self.close(code=CLOSE_NO_ROOM)
