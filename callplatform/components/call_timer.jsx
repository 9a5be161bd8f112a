import { useEffect, useState } from "react";

// A call's talk time, counted in the browser from the seconds the server last reported
// (its clock, not the browser's, says when the call was answered). Hidden below zero.
export function CallTimer({ seconds, ...rest }) {
  const [base, setBase] = useState({ seconds, at: Date.now() });
  const [, setNow] = useState(0);
  useEffect(() => setBase({ seconds, at: Date.now() }), [seconds]);
  useEffect(() => {
    if (seconds < 0) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [seconds]);
  if (seconds < 0) return null;
  const total = Math.max(0, base.seconds + Math.floor((Date.now() - base.at) / 1000));
  const clock = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
  return <span {...rest}>{clock}</span>;
}
