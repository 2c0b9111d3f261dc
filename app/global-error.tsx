"use client";

// Last-resort boundary when the root layout itself fails; it renders its own <html>.
export default function GlobalError({
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui", padding: 32 }}>
        <h1>Trellis could not load this page</h1>
        <p>
          Something went wrong on our side. Try again; if it keeps happening, check the server logs.
        </p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </body>
    </html>
  );
}
