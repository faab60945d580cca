"""The real-time side: the room WebSocket (consumers, routing), its protocol, and the
broadcasts services send to connected sockets through the channel layer."""
