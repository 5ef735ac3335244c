// A small rich-text editor without dependencies: a contentEditable area with bold, italic and list buttons.
// What it produces is cleaned to the server's allow-list (p, br, strong, em, u, s, ul, ol, li, h2, h3,
// blockquote, a[href]) before it is handed on; the server sanitizes again, which is what keeps it safe.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';

const ALLOWED = new Set(['p', 'br', 'strong', 'em', 'u', 's', 'ul', 'ol', 'li', 'h2', 'h3', 'blockquote', 'a']);
/** What browsers' editing commands produce, renamed to what the allow-list has. */
const RENAME: Record<string, string> = { b: 'strong', i: 'em', div: 'p', strike: 's', del: 's', h1: 'h2' };
const SAFE_HREF = /^(https?:|mailto:)/i;

function inertDocument(): Document {
  // Elements of a document without a browsing context run no scripts and load no images.
  return document.implementation.createHTMLDocument('');
}

function cleanNode(node: Node, out: Document): Node[] {
  if (node.nodeType === Node.TEXT_NODE) return [out.createTextNode(node.textContent ?? '')];
  if (node.nodeType !== Node.ELEMENT_NODE) return [];
  const element = node as Element;
  const children = Array.from(element.childNodes).flatMap((child) => cleanNode(child, out));
  const name = element.tagName.toLowerCase();
  if (name === 'script' || name === 'style') return [];
  const tag = RENAME[name] ?? name;
  if (!ALLOWED.has(tag)) return children;
  const clean = out.createElement(tag);
  if (tag === 'a') {
    const href = element.getAttribute('href')?.trim() ?? '';
    if (!SAFE_HREF.test(href)) return children;
    clean.setAttribute('href', href);
  }
  for (const child of children) clean.appendChild(child);
  return [clean];
}

/** The editor's HTML reduced to the allow-list; '' when there is no text at all. */
export function cleanEditorHtml(html: string): string {
  const doc = inertDocument();
  const source = doc.createElement('div');
  source.innerHTML = html;
  if ((source.textContent ?? '').trim() === '') return '';
  const target = doc.createElement('div');
  for (const node of Array.from(source.childNodes).flatMap((child) => cleanNode(child, doc))) {
    target.appendChild(node);
  }
  return target.innerHTML;
}

/** Whether an HTML body holds no text (what the server refuses as empty after sanitizing). */
export function isBlankHtml(html: string): boolean {
  const doc = inertDocument();
  const div = doc.createElement('div');
  div.innerHTML = html;
  return (div.textContent ?? '').trim() === '';
}

type Command = 'bold' | 'italic' | 'insertUnorderedList' | 'insertOrderedList';

export interface RichTextEditorProps {
  label: ReactNode;
  /**
   * The HTML to start with: either sanitized by the server or made by this editor. Read once; give the editor
   * a new `key` to load other text.
   */
  initialHtml: string;
  onChange: (html: string) => void;
  onBlur?: () => void;
  hint?: ReactNode;
  /** A field error code. */
  error?: string | undefined;
  optional?: boolean;
  disabled?: boolean;
  name?: string;
}

export function RichTextEditor({
  label,
  initialHtml,
  onChange,
  onBlur,
  hint,
  error,
  optional,
  disabled = false,
  name,
}: RichTextEditorProps) {
  const { t, fieldErrorMessage } = useI18n();
  const id = useId();
  const labelId = `${id}-label`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const area = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Server-sanitized (or self-made) HTML only, see `initialHtml`.
    if (area.current) area.current.innerHTML = initialHtml;
    // Read once on purpose: the text then belongs to the person typing.
  }, []);

  const emit = () => onChange(cleanEditorHtml(area.current?.innerHTML ?? ''));

  const run = (command: Command) => {
    if (disabled) return;
    area.current?.focus();
    try {
      // Deprecated but still the only built-in way; every current browser implements these commands.
      document.execCommand?.(command, false);
    } catch {
      /* not supported (test environments): the text stays as it is */
    }
    emit();
  };

  const onFocus = () => {
    try {
      // New lines become <p> rather than <div> (Chrome, Safari).
      document.execCommand?.('defaultParagraphSeparator', false, 'p');
    } catch {
      /* ignore */
    }
  };

  const buttons: { command: Command; label: string; glyph: ReactNode }[] = [
    { command: 'bold', label: t('editor.bold'), glyph: <strong>B</strong> },
    { command: 'italic', label: t('editor.italic'), glyph: <em>I</em> },
    { command: 'insertUnorderedList', label: t('editor.bulletList'), glyph: '•' },
    { command: 'insertOrderedList', label: t('editor.numberedList'), glyph: '1.' },
  ];

  return (
    <div className={error ? 'field field--invalid rte' : 'field rte'} data-name={name}>
      <span className="field__label" id={labelId}>
        {label}
        {optional ? <span className="field__optional"> ({t('common.optional')})</span> : null}
      </span>
      <div className="rte__box">
        <div className="rte__toolbar" role="toolbar" aria-label={t('editor.toolbar')} aria-controls={id}>
          {buttons.map((b) => (
            <button
              key={b.command}
              type="button"
              className="rte__button"
              title={b.label}
              aria-label={b.label}
              disabled={disabled}
              // Keep the selection in the text while clicking.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => run(b.command)}
            >
              <span aria-hidden="true">{b.glyph}</span>
            </button>
          ))}
        </div>
        <div
          id={id}
          ref={area}
          className="rte__area"
          role="textbox"
          aria-multiline="true"
          aria-labelledby={labelId}
          aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
          aria-invalid={error ? true : undefined}
          aria-readonly={disabled || undefined}
          contentEditable={!disabled}
          suppressContentEditableWarning
          tabIndex={0}
          onInput={emit}
          onFocus={onFocus}
          onBlur={onBlur}
        />
      </div>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          {fieldErrorMessage(error)}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Shows HTML that the server has sanitized with its allow-list (motivation letters, notes). Only ever pass
 * HTML straight from those API responses: the server's sanitizer is what makes `dangerouslySetInnerHTML`
 * acceptable here.
 */
export function SanitizedHtml({ html, className }: { html: string; className?: string }) {
  return <div className={className ? `rich-text ${className}` : 'rich-text'} dangerouslySetInnerHTML={{ __html: html }} />;
}
