// A QR code drawn in the browser as one SVG path (nothing leaves the page, nothing is fetched: the CSP is
// default-src 'self'). The encoder, `qrcode-generator` (MIT, no dependencies), is loaded in its own chunk the
// first time a code is drawn.
import { useEffect, useState } from 'react';

/** The dark modules of `text` as an SVG path in module units, with the code's size (without the quiet zone). */
export async function qrPath(text: string): Promise<{ size: number; d: string }> {
  const { default: qrcode } = await import('qrcode-generator');
  // Type 0 = the smallest version that fits; level M survives a smudged phone screen.
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  const parts: string[] = [];
  for (let row = 0; row < size; row += 1) {
    let col = 0;
    while (col < size) {
      if (!qr.isDark(row, col)) {
        col += 1;
        continue;
      }
      // One rectangle per run of dark modules on a row keeps the path short.
      const start = col;
      while (col < size && qr.isDark(row, col)) col += 1;
      parts.push(`M${start} ${row}h${col - start}v1h-${col - start}z`);
    }
  }
  return { size, d: parts.join('') };
}

const QUIET = 4;

export function QrCode({ text, label, loadingLabel }: { text: string; label: string; loadingLabel: string }) {
  const [code, setCode] = useState<{ text: string; size: number; d: string } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    setFailed(false);
    qrPath(text)
      .then((result) => {
        if (live) setCode({ text, ...result });
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [text]);

  if (failed) return null;
  if (!code || code.text !== text) {
    return (
      <div className="qr qr--loading" role="status">
        <span className="visually-hidden">{loadingLabel}</span>
      </div>
    );
  }
  const box = code.size + QUIET * 2;
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      viewBox={`-${QUIET} -${QUIET} ${box} ${box}`}
      shapeRendering="crispEdges"
      data-testid="qr-code"
      data-modules={code.size}
    >
      <rect x={-QUIET} y={-QUIET} width={box} height={box} fill="#fff" />
      <path d={code.d} fill="#000" />
    </svg>
  );
}
