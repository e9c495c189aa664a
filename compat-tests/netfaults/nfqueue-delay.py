#!/usr/bin/env python3
# A userspace stand-in for `tc qdisc ... netem delay D J reorder P` on kernels built without
# sch_netem: packets that iptables sends to NFQUEUE number QUEUE are held and released after
# DELAY_MS +- JITTER_MS (uniform), except IMMEDIATE_PERCENT of them, released at once (so packets
# overtake each other: reordering, as netem's jitter and reorder do). Speaks nfnetlink_queue
# directly over an AF_NETLINK socket (Python's standard library only).
#
#   nfqueue-delay.py QUEUE DELAY_MS JITTER_MS IMMEDIATE_PERCENT
#
# Prints "NFQUEUE READY" once bound; runs until SIGTERM. Started by NetNamespaces (compat-tests)
# with `ip netns exec <ns>`; the iptables rule uses --queue-bypass, so packets pass while no
# delayer is bound.
import heapq
import random
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN = 1, 2, 3
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NF_ACCEPT = 1
MAX_HELD = 20000


def attribute(kind, data):
    length = 4 + len(data)
    return struct.pack('=HH', length, kind) + data + b'\0' * ((4 - length % 4) % 4)


def message(kind, flags, seq, queue, attributes):
    body = struct.pack('=BB', socket.AF_UNSPEC, 0) + struct.pack('!H', queue) + attributes
    return struct.pack('=IHHII', 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | kind, flags, seq, 0) + body


def expect_ack(sock, what):
    data = sock.recv(65536)
    length, kind = struct.unpack_from('=IH', data, 0)
    if kind != NLMSG_ERROR:
        sys.exit('nfqueue-delay: unexpected answer %d to %s' % (kind, what))
    (error,) = struct.unpack_from('=i', data, 16)
    if error != 0:
        sys.exit('nfqueue-delay: %s failed: errno %d' % (what, -error))


def packet_ids(data):
    """The packet ids of every NFQNL_MSG_PACKET in one netlink datagram."""
    ids = []
    offset = 0
    while offset + 16 <= len(data):
        length, kind = struct.unpack_from('=IH', data, offset)
        if length < 16:
            break
        if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
            position = offset + 20
            end = offset + length
            while position + 4 <= end:
                attr_length, attr_kind = struct.unpack_from('=HH', data, position)
                if attr_length < 4:
                    break
                if attr_kind & 0x7fff == NFQA_PACKET_HDR:
                    ids.append(struct.unpack_from('!I', data, position + 4)[0])
                position += (attr_length + 3) & ~3
        offset += (length + 3) & ~3
    return ids


def main():
    if len(sys.argv) != 5:
        sys.exit('usage: nfqueue-delay.py QUEUE DELAY_MS JITTER_MS IMMEDIATE_PERCENT')
    queue, delay_ms, jitter_ms, immediate_percent = (float(a) for a in sys.argv[1:])
    queue = int(queue)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
    sock.bind((0, 0))
    bind = attribute(NFQA_CFG_CMD, struct.pack('!BxH', NFQNL_CFG_CMD_BIND, socket.AF_INET))
    sock.send(message(NFQNL_MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, 1, queue, bind))
    expect_ack(sock, 'bind')
    params = attribute(NFQA_CFG_PARAMS, struct.pack('!IB', 0, NFQNL_COPY_META))
    params += attribute(NFQA_CFG_QUEUE_MAXLEN, struct.pack('!I', MAX_HELD))
    sock.send(message(NFQNL_MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, 2, queue, params))
    expect_ack(sock, 'copy mode')
    print('NFQUEUE READY', flush=True)

    held = []  # (due, packet id)

    def release(packet_id):
        verdict = attribute(NFQA_VERDICT_HDR, struct.pack('!II', NF_ACCEPT, packet_id))
        sock.send(message(NFQNL_MSG_VERDICT, NLM_F_REQUEST, 0, queue, verdict))

    while True:
        now = time.monotonic()
        while held and held[0][0] <= now:
            release(heapq.heappop(held)[1])
        timeout = max(0.0, held[0][0] - now) if held else 0.5
        readable, _, _ = select.select([sock], [], [], timeout)
        if not readable:
            continue
        try:
            data = sock.recv(262144)
        except OSError:  # ENOBUFS: the kernel dropped messages; those packets time out as lost
            continue
        for packet_id in packet_ids(data):
            if random.random() * 100 < immediate_percent or len(held) >= MAX_HELD:
                release(packet_id)
            else:
                wait_ms = max(0.0, delay_ms + random.uniform(-jitter_ms, jitter_ms))
                heapq.heappush(held, (time.monotonic() + wait_ms / 1000.0, packet_id))


if __name__ == '__main__':
    main()
