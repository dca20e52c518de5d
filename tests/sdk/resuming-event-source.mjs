// Resumable realtime with the official SDK, unchanged (docs/realtime.md shows this file): an EventSource that
// remembers the id of the last record event it delivered and, when the SDK opens a new connection, asks Basalt to
// resume after it. Basalt then sends the events missed while disconnected (or PB_RESET when they are too old).
//
//   import { useResumingEventSource } from './resuming-event-source.mjs';
//   useResumingEventSource({ load: () => localStorage.getItem('lastEventId'), save: (id) => localStorage.setItem('lastEventId', id) });
//   pb.realtime.subscribe('posts/*', (e) => render(e));
//   pb.realtime.subscribe('PB_RESET', () => reloadEverything());
import { EventSource as NodeEventSource } from 'eventsource';

export function useResumingEventSource({ load, save }, Base = globalThis.EventSource ?? NodeEventSource) {
  class ResumingEventSource extends Base {
    constructor(url, init) {
      const last = load();
      super(last ? `${url}${url.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(last)}` : url, init);
    }

    // Every listener the SDK adds (one per subscription) notes the event's id first; PB_CONNECT carries the client id.
    addEventListener(type, listener, options) {
      listener.resuming ??= (event) => {
        if (/^\d+$/.test(event.lastEventId)) save(event.lastEventId);
        listener(event);
      };
      super.addEventListener(type, listener.resuming, options);
    }

    removeEventListener(type, listener, options) {
      super.removeEventListener(type, listener.resuming ?? listener, options);
    }
  }

  globalThis.EventSource = ResumingEventSource;
  return ResumingEventSource;
}
