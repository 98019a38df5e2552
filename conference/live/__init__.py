"""What the screens see, live: one snapshot of a conference, published after every change.

- snapshot.py: the whole live state of one conference, reused while its version stands;
- realtime.py: the one place that emits (publish), the socket handlers, and each process's watch
  that keeps screens on the newest version;
- consoles.py: which MC consoles are connected ("who is driving"), across processes.

It reads the domain of every feature to build the snapshot; it imports no view, web/ or cli/.
"""
