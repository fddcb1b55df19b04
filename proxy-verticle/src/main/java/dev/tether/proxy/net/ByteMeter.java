package dev.tether.proxy.net;

/** Counts the bytes a socket reads and writes, per read and per write (never per frame). */
public interface ByteMeter {
  ByteMeter NONE = new ByteMeter() {
    @Override
    public void received(int bytes) {}

    @Override
    public void sent(int bytes) {}
  };

  void received(int bytes);

  void sent(int bytes);
}
