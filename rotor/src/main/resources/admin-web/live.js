// A tiny Centrifugo protocol v2 (JSON) client for the live view: connect with a token whose
// "channels" claim subscribes server-side, answer pings, refresh the token before it expires,
// hand every publication of the channel to onPublication, reconnect after a drop.
'use strict';

class LiveClient {
  /**
   * @param url            the WebSocket endpoint
   * @param channel        the watched channel
   * @param fetchToken     async () => connection token
   * @param onPublication  (pub) => void, pub as in the protocol: {data, offset, info, tags}
   * @param onStatus       (text, isError) => void
   */
  constructor(url, channel, fetchToken, onPublication, onStatus) {
    Object.assign(this, { url, channel, fetchToken, onPublication, onStatus });
    this.nextId = 1;
    this.stopped = false;
    this.ws = null;
    this.timer = null;
  }

  async start() {
    this.stopped = false;
    let token;
    try {
      token = await this.fetchToken();
    } catch (e) {
      this.onStatus(`cannot watch: ${e.message}`, true);
      return;
    }
    if (this.stopped) {
      return;
    }
    this.onStatus('connecting…');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => this.send({ connect: { token, name: 'rotor-admin-ui' } });
    ws.onmessage = (e) => String(e.data).split('\n').filter((l) => l.trim()).forEach((l) => this.frame(JSON.parse(l)));
    ws.onclose = (e) => {
      clearTimeout(this.timer);
      if (this.stopped || ws !== this.ws) {
        return;
      }
      // 3500-3999 and 4500-4999 mean "do not reconnect" in the protocol.
      const final = (e.code >= 3500 && e.code < 4000) || e.code >= 4500;
      this.onStatus(`disconnected (${e.code} ${e.reason || ''})${final ? '' : ', reconnecting…'}`, true);
      if (!final) {
        this.timer = setTimeout(() => this.start(), 1000 + Math.random() * 1000);
      }
    };
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) {
      this.ws.close(1000);
      this.ws = null;
    }
  }

  send(command) {
    this.ws.send(JSON.stringify({ id: this.nextId++, ...command }));
  }

  frame(msg) {
    if (msg.push) {
      if (msg.push.channel === this.channel && msg.push.pub) {
        this.onPublication(msg.push.pub);
      }
    } else if (msg.error) {
      this.onStatus(`error ${msg.error.code}: ${msg.error.message}`, true);
    } else if (msg.connect) {
      const subscribed = msg.connect.subs && msg.connect.subs[this.channel];
      this.onStatus(subscribed ? `watching ${this.channel}` : `connected, but not subscribed to ${this.channel}`, !subscribed);
      this.pong = Boolean(msg.connect.pong);
      this.scheduleRefresh(msg.connect);
    } else if (msg.refresh) {
      this.scheduleRefresh(msg.refresh);
    } else if (!msg.id && this.pong) {
      this.ws.send('{}'); // a server ping: pong
    }
  }

  scheduleRefresh(result) {
    if (!result.expires) {
      return;
    }
    const ms = Math.max(1, result.ttl - 30) * 1000;
    this.timer = setTimeout(async () => {
      try {
        this.send({ refresh: { token: await this.fetchToken() } });
      } catch (e) {
        this.onStatus(`token refresh failed: ${e.message}`, true);
      }
    }, ms);
  }
}
