// "Move to…": a menu button listing the statuses an application may move to. Arrow keys move between items,
// Escape closes and returns focus to the button, a click outside closes.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ApplicationStatus } from '../../api/hiringTypes';
import { useI18n } from '../../i18n/I18nProvider';
import { statusLabel } from './hiringText';

export function MoveMenu({
  targets,
  onSelect,
  busy = false,
  describedBy,
  label,
}: {
  targets: readonly ApplicationStatus[];
  onSelect: (status: ApplicationStatus) => void;
  busy?: boolean;
  /** Id of the element naming the application (the card's name), for screen readers. */
  describedBy?: string;
  label?: string;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const items = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    if (!open) return;
    items.current[0]?.focus();
    const onDown = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = (focusTrigger: boolean) => {
    setOpen(false);
    if (focusTrigger) trigger.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const list = items.current.filter((b): b is HTMLButtonElement => b !== null);
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      list[(index + 1) % list.length]?.focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      list[(index - 1 + list.length) % list.length]?.focus();
    } else if (event.key === 'Home') {
      event.preventDefault();
      list[0]?.focus();
    } else if (event.key === 'End') {
      event.preventDefault();
      list[list.length - 1]?.focus();
    } else if (event.key === 'Tab') {
      close(false);
    }
  };

  if (targets.length === 0) return null;

  return (
    <div className="menu" ref={root}>
      <button
        ref={trigger}
        type="button"
        className="button button--secondary button--small menu__trigger"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-describedby={describedBy}
        disabled={busy}
        aria-busy={busy || undefined}
        onClick={() => setOpen((v) => !v)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {busy ? <span className="spinner" aria-hidden="true" /> : null}
        <span>{busy ? t('hiring.moving') : (label ?? t('hiring.moveTo'))}</span>
      </button>
      {open ? (
        <ul className="menu__list" role="menu" id={menuId} aria-label={label ?? t('hiring.moveTo')} onKeyDown={onKeyDown}>
          {targets.map((status, i) => (
            <li role="none" key={status}>
              <button
                ref={(el) => {
                  items.current[i] = el;
                }}
                type="button"
                role="menuitem"
                className="menu__item"
                tabIndex={-1}
                data-status={status}
                onClick={() => {
                  close(true);
                  onSelect(status);
                }}
              >
                {statusLabel(t, status)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
