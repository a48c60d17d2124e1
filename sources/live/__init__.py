"""Live updates: the event stream's server side (docs/collaboration.md, "Live updates").

`wakeup` tells waiting streams that an event was written (PostgreSQL NOTIFY, Redis pub/sub, or
nothing: the streams poll); `hub` keeps one reader of the event table per server process, which
every open stream of that process waits on; `stream` formats Server-Sent Events."""
