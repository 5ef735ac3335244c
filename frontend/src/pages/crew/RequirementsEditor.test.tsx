import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Competency, Requirement } from '../../api/schedulingTypes';
import { COCKTAILS, competencies, competency, REGISTER, WINE } from '../../test/crewData';
import { renderUi } from '../../test/utils';
import { RequirementsEditor } from './RequirementsEditor';

const FIRST_AID = '21000000-0000-4000-8000-000000000009';

function Harness({
  initial,
  list = competencies(),
  onChange,
  error,
}: {
  initial: Requirement[];
  list?: Competency[];
  onChange?: (next: Requirement[]) => void;
  error?: string;
}) {
  const [value, setValue] = useState(initial);
  return (
    <RequirementsEditor
      legend="Required competencies"
      value={value}
      onChange={(next) => {
        onChange?.(next);
        setValue(next);
      }}
      competencies={list}
      error={error}
      context="Monday, shift 1"
    />
  );
}

describe('the requirements editor', () => {
  it('adds the first free competency at level 1, each competency once', async () => {
    const onChange = vi.fn();
    renderUi(<Harness initial={[]} onChange={onChange} />);
    const user = userEvent.setup();
    const group = screen.getByRole('group', { name: 'Required competencies' });
    expect(group).toHaveTextContent('No competencies required.');
    await user.click(within(group).getByRole('button', { name: 'Add a competency' }));
    expect(onChange).toHaveBeenLastCalledWith([{ competencyId: COCKTAILS, minLevel: 1 }]);
    await user.click(within(group).getByRole('button', { name: 'Add a competency' }));
    expect(onChange).toHaveBeenLastCalledWith([
      { competencyId: COCKTAILS, minLevel: 1 },
      { competencyId: REGISTER, minLevel: 1 },
    ]);
    // Wine is archived: nothing left to add.
    expect(within(group).getByRole('button', { name: 'Add a competency' })).toBeDisabled();
    // Rows are named for screen readers with their context.
    expect(within(group).getByLabelText('Required competency 2 (Monday, shift 1)')).toHaveValue(REGISTER);
    expect(within(group).getByLabelText('Minimum level of Cocktails')).toHaveValue('1');
    expect(within(group).getByLabelText('Minimum level of Cash register')).toHaveValue('1');
  });

  it('changes a row’s competency and level, keeping the focus on the control', async () => {
    const onChange = vi.fn();
    renderUi(<Harness initial={[{ competencyId: COCKTAILS, minLevel: 2 }]} onChange={onChange} />);
    const user = userEvent.setup();
    const select = screen.getByLabelText(/^Required competency 1/);
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Cocktails', 'Cash register']);
    select.focus();
    await user.selectOptions(select, 'Cash register');
    expect(onChange).toHaveBeenLastCalledWith([{ competencyId: REGISTER, minLevel: 2 }]);
    // The same control, still focused: a keyboard user changing the choice does not lose their place.
    expect(screen.getByLabelText(/^Required competency 1/)).toBe(select);
    expect(select).toHaveFocus();
    await user.selectOptions(screen.getByLabelText('Minimum level of Cash register'), 'level 5 or higher');
    expect(onChange).toHaveBeenLastCalledWith([{ competencyId: REGISTER, minLevel: 5 }]);
    expect(within(screen.getByLabelText('Minimum level of Cash register')).getAllByRole('option')).toHaveLength(5);
  });

  it('removes a row', async () => {
    const onChange = vi.fn();
    renderUi(
      <Harness
        initial={[
          { competencyId: COCKTAILS, minLevel: 2 },
          { competencyId: REGISTER, minLevel: 4 },
        ]}
        onChange={onChange}
      />,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Remove Cocktails' }));
    expect(onChange).toHaveBeenLastCalledWith([{ competencyId: REGISTER, minLevel: 4 }]);
    expect(screen.getByLabelText(/^Required competency 1/)).toHaveValue(REGISTER);
    expect(screen.getByLabelText('Minimum level of Cash register')).toHaveValue('4');
  });

  it('keeps an archived competency already chosen, marked', () => {
    renderUi(<Harness initial={[{ competencyId: WINE, minLevel: 3 }]} />);
    const select = screen.getByLabelText(/^Required competency 1/);
    expect(select).toHaveDisplayValue('Wine (archived)');
  });

  it('says when the location has no competencies, and shows an error', () => {
    renderUi(<Harness initial={[]} list={[competency({ id: FIRST_AID, name: 'First aid', archived: true })]} error="Levels go from 1 to 5." />);
    const group = screen.getByRole('group', { name: 'Required competencies' });
    expect(group).toHaveTextContent('This location has no competencies yet.');
    expect(within(group).queryByRole('button')).not.toBeInTheDocument();
    expect(group).toHaveAccessibleDescription('Levels go from 1 to 5.');
    expect(group).toHaveClass('field--invalid');
  });
});
