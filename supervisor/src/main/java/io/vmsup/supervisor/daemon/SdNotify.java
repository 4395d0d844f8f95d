package io.vmsup.supervisor.daemon;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * systemd's readiness protocol ({@code sd_notify(3)}): when {@code NOTIFY_SOCKET} is set, one datagram of
 * {@code KEY=VALUE} lines goes to that unix datagram socket ({@code @name} is the abstract namespace). The JDK has no
 * unix datagram sockets, so this uses Netty's epoll {@link EpollDomainDatagramChannel} on a one-thread event loop that
 * lives only for the send. Called from the launcher's main thread (never an event loop): it blocks up to 5 s.
 */
public final class SdNotify {

  /** The outcome, for the log: not asked (no variable), sent, or why not. */
  public record Result(boolean asked, boolean sent, String detail) {
  }

  private SdNotify() {
  }

  /** Sends {@code state} (e.g. {@code READY=1\nSTATUS=...}) when {@code NOTIFY_SOCKET} is set in {@code env}. */
  public static Result send(Map<String, String> env, String state) {
    String socket = env.get("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      return new Result(false, false, "NOTIFY_SOCKET not set");
    }
    if (!socket.startsWith("/") && !socket.startsWith("@")) {
      return new Result(true, false, "NOTIFY_SOCKET must be an absolute path or @abstract, not " + socket);
    }
    // sd_notify(3): a leading '@' names the abstract namespace, whose first byte is NUL
    String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      Channel channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
          .handler(new ChannelInboundHandlerAdapter())
          .connect(new DomainSocketAddress(path)).syncUninterruptibly().channel();
      channel.writeAndFlush(Unpooled.copiedBuffer(state, StandardCharsets.UTF_8)).syncUninterruptibly();
      channel.close().syncUninterruptibly();
      return new Result(true, true, "sent to " + socket);
    } catch (Exception e) {
      // Netty rethrows the connect's checked cause (e.g. FileNotFoundException: nobody bound that path) unchecked
      return new Result(true, false, "cannot notify " + socket + ": " + e);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
