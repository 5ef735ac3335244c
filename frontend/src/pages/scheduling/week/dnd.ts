// Drag and drop of people onto shifts with dnd-kit: mouse and pen through PointerSensor, a finger through
// TouchSensor's long press (so the page still scrolls under a swipe), the keyboard through KeyboardSensor with
// arrow keys that jump from shift to shift instead of 25 px at a time.
import {
  KeyboardCode,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  TouchSensor,
  useSensor,
  useSensors,
  type CollisionDetection,
  type KeyboardCoordinateGetter,
  type PointerSensorOptions,
} from '@dnd-kit/core';
import type { PointerEvent as ReactPointerEvent } from 'react';
import type { GridPerson, GridShift } from '../../../api/schedulingTypes';

/** What a draggable person carries. */
export interface PersonDrag {
  person: GridPerson;
}

/** What a shift card carries as a drop target. */
export interface ShiftDrop {
  shift: GridShift;
  label: string;
}

export const personDragId = (userId: string) => `person:${userId}`;
export const shiftDropId = (shiftId: string) => `shift:${shiftId}`;

/** PointerSensor for mouse and pen only: a touch goes to TouchSensor, which waits for a long press. */
export class MouseAndPenSensor extends PointerSensor {
  static override activators = [
    {
      eventName: 'onPointerDown' as const,
      handler: (event: ReactPointerEvent, options: PointerSensorOptions): boolean => {
        if (event.nativeEvent.pointerType === 'touch') return false;
        return PointerSensor.activators.every((activator) => activator.handler(event, options));
      },
    },
  ];
}

const DIRECTIONS: Partial<Record<string, { x: number; y: number }>> = {
  [KeyboardCode.Right]: { x: 1, y: 0 },
  [KeyboardCode.Left]: { x: -1, y: 0 },
  [KeyboardCode.Down]: { x: 0, y: 1 },
  [KeyboardCode.Up]: { x: 0, y: -1 },
};

/** Arrow keys move the dragged person to the nearest shift in that direction (straight ahead preferred). */
export const jumpBetweenShifts: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const direction = DIRECTIONS[event.code];
  if (!direction) return undefined;
  event.preventDefault();
  const { collisionRect, droppableRects, droppableContainers } = context;
  if (!collisionRect) return currentCoordinates;
  const from = { x: collisionRect.left + collisionRect.width / 2, y: collisionRect.top + collisionRect.height / 2 };
  let best: { score: number; x: number; y: number } | null = null;
  for (const container of droppableContainers.getEnabled()) {
    const rect = droppableRects.get(container.id);
    if (!rect) continue;
    const to = { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const ahead = dx * direction.x + dy * direction.y;
    if (ahead <= 1) continue;
    const aside = Math.abs(dx * direction.y + dy * direction.x);
    const score = ahead + aside * 2;
    if (!best || score < best.score) best = { score, x: to.x, y: to.y };
  }
  if (!best) return currentCoordinates;
  return { x: best.x - collisionRect.width / 2, y: best.y - collisionRect.height / 2 };
};

/** Under the pointer when there is one (no drop on a shift merely near it); by overlap for the keyboard. */
export const shiftCollision: CollisionDetection = (args) =>
  args.pointerCoordinates ? pointerWithin(args) : rectIntersection(args);

export function useWeekSensors() {
  return useSensors(
    useSensor(MouseAndPenSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: jumpBetweenShifts }),
  );
}
