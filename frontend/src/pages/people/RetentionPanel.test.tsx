import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RetentionStatus } from '../../api/retentionTypes';
import { errorResponse, jsonResponse, mockApi, renderUi } from '../../test/utils';
import { RetentionPanel } from './RetentionPanel';

afterEach(() => vi.unstubAllGlobals());

const PERSON = '30000000-0000-4000-8000-000000000003';
const path = `/api/people/${PERSON}/retention`;
const holdPath = `/api/people/${PERSON}/retention-hold`;

const erases: RetentionStatus = { hold: null, erasesAfter: '2027-06-01' };
const held: RetentionStatus = {
  hold: { reason: 'Legal claim pending', since: '2026-12-08T10:00:00Z', by: { id: 'm1', name: 'Sam Jansen' } },
  erasesAfter: null,
};

describe('retention hold', () => {
  it('says when the data will be erased, and puts it on hold with a required reason', async () => {
    const { requests } = mockApi({
      [`GET ${path}`]: () => jsonResponse(200, erases),
      [`PUT ${holdPath}`]: () => jsonResponse(200, held),
    });
    renderUi(<RetentionPanel personId={PERSON} personName="Kim de Vries" />);
    const user = userEvent.setup();
    const panel = await screen.findByTestId('retention');
    expect(await within(panel).findByText('Will be erased after Jun 1, 2027, when nothing changes before then.')).toBeInTheDocument();
    expect(panel).toHaveAttribute('data-state', 'erases');

    await user.click(within(panel).getByRole('button', { name: 'Put on hold' }));
    const dialog = await screen.findByRole('dialog', { name: 'Keep the data of Kim de Vries' });
    await user.click(within(dialog).getByRole('button', { name: 'Put on hold' }));
    expect(within(dialog).getByText('This field is required.')).toBeInTheDocument();
    expect(requests.some((r) => r.method === 'PUT')).toBe(false);
    expect(within(dialog).getByLabelText('Reason')).toHaveAttribute('maxLength', '300');

    await user.type(within(dialog).getByLabelText('Reason'), '  Legal claim pending ');
    await user.click(within(dialog).getByRole('button', { name: 'Put on hold' }));
    expect(await screen.findByText('The data of Kim de Vries is on hold.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({ reason: 'Legal claim pending' });
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'hold'));
    expect(panel).toHaveTextContent('On hold since');
    expect(panel).toHaveTextContent('by Sam Jansen');
    expect(panel).toHaveTextContent('Reason: Legal claim pending');
  });

  it('removes a hold after confirmation', async () => {
    const { requests } = mockApi({
      [`GET ${path}`]: () => jsonResponse(200, held),
      [`DELETE ${holdPath}`]: () => jsonResponse(200, erases),
    });
    renderUi(<RetentionPanel personId={PERSON} personName="Kim de Vries" />);
    const user = userEvent.setup();
    const panel = await screen.findByTestId('retention');
    await user.click(await within(panel).findByRole('button', { name: 'Remove hold' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove the hold on Kim de Vries?' });
    await user.click(within(dialog).getByRole('button', { name: 'Remove hold' }));
    expect(await screen.findByText('The hold on Kim de Vries is removed.')).toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([holdPath]);
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'erases'));
  });

  it('says when no rule applies, and shows the server\'s field error', async () => {
    mockApi({
      [`GET ${path}`]: () => jsonResponse(200, { hold: null, erasesAfter: null }),
      [`PUT ${holdPath}`]: () => errorResponse(422, 'validation_failed', { reason: 'too_long' }),
    });
    renderUi(<RetentionPanel personId={PERSON} personName="Kim de Vries" />);
    const user = userEvent.setup();
    const panel = await screen.findByTestId('retention');
    expect(await within(panel).findByText(/No retention rule applies/)).toBeInTheDocument();
    await user.click(within(panel).getByRole('button', { name: 'Put on hold' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('Reason'), 'x');
    await user.click(within(dialog).getByRole('button', { name: 'Put on hold' }));
    expect(await within(dialog).findByText('This is too long.')).toBeInTheDocument();
  });

  it('shows nothing for a person out of sight', async () => {
    mockApi({ [`GET ${path}`]: () => errorResponse(404, 'not_found') });
    const { container } = renderUi(<RetentionPanel personId={PERSON} personName="Kim de Vries" />);
    await waitFor(() => expect(container.querySelector('[data-testid="retention"]')).toBeNull());
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('retention')).not.toBeInTheDocument();
  });
});
