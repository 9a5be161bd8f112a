// The browser's phone with real Twilio: Twilio's Voice JavaScript SDK, driven by the
// dialer through window.cpVoice. Tokens come from our /api/voice/token (the signed-in
// user's own identity, refreshed before they expire). Call progress is reported to the
// server through onDeviceEvent(kind, callSid); the server's records stay the truth.
import { useEffect, useRef } from "react";
import { Device } from "@twilio/voice-sdk";

export function VoiceDevice({ enabled, tokenUrl, onDeviceEvent }) {
  const device = useRef(null);
  const active = useRef(null);
  const pending = useRef(null);
  const report = (kind, sid) => onDeviceEvent && onDeviceEvent(kind || "", sid || "");

  useEffect(() => {
    const follow = (call) => {
      active.current = call;
      const sid = () => (call.parameters && call.parameters.CallSid) || "";
      call.on("ringing", () => report("ringing", sid()));
      call.on("accept", () => report("connected", sid()));
      call.on("disconnect", () => { active.current = null; report("disconnected", sid()); });
      call.on("cancel", () => { pending.current = null; report("canceled", sid()); });
      call.on("reject", () => { active.current = null; report("disconnected", sid()); });
      call.on("error", (e) => report("error", e.message));
    };
    window.cpVoice = {
      sdkVersion: Device.version,
      enabled: !!enabled,
      ready: false,
      connect: async (to, callerId) => {
        if (!device.current) return report("error", "The phone is not ready yet.");
        follow(await device.current.connect({ params: { To: to, CallerId: callerId } }));
      },
      accept: () => { const c = pending.current; pending.current = null; if (c) { follow(c); c.accept(); } },
      reject: () => { const c = pending.current; pending.current = null; if (c) c.reject(); },
      hangup: () => { if (active.current) active.current.disconnect(); },
      mute: (on) => { if (active.current) active.current.mute(!!on); },
      digits: (keys) => { if (active.current) active.current.sendDigits(keys); },
    };
    if (!enabled) return undefined;
    let stopped = false;
    const token = async () => {
      const response = await fetch(tokenUrl, { credentials: "same-origin" });
      if (!response.ok) throw new Error("Could not get a calling token.");
      return (await response.json()).token;
    };
    (async () => {
      const d = new Device(await token(), { closeProtection: true });
      if (stopped) return d.destroy();
      d.on("tokenWillExpire", async () => d.updateToken(await token()));
      d.on("incoming", (call) => { pending.current = call; report("incoming", call.parameters.CallSid); });
      d.on("error", (e) => report("error", e.message));
      await d.register();
      device.current = d;
      window.cpVoice.ready = true;
    })().catch((e) => report("error", e.message));
    return () => {
      stopped = true;
      if (device.current) device.current.destroy();
      device.current = null;
    };
  }, [enabled, tokenUrl]);
  return null;
}
