import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PersonProfile, SensitiveProfile } from '../../api/types';
import { errorResponse, jsonResponse, makeMe, mockApi, renderApp, renderUi } from '../../test/utils';
import { ProfilePanel, toSensitiveProfile, validateProfile, type ProfileValues } from './ProfilePanel';

afterEach(() => vi.unstubAllGlobals());

const applicant = makeMe('applicant', { firstName: 'Eva', displayName: 'Eva Tester' });
const profilePath = `/api/people/${applicant.id}/profile`;

function profile(overrides: Partial<PersonProfile> = {}): PersonProfile {
  return {
    id: applicant.id,
    username: applicant.username,
    email: applicant.email,
    firstName: 'Eva',
    lastName: 'Tester',
    displayName: 'Eva Tester',
    role: 'applicant',
    locations: [],
    sensitive: {
      phone: '+31 6 1234 5678',
      address: null,
      dateOfBirth: '1990-05-17',
      nationality: null,
      nationalIdNumber: null,
      bankAccount: null,
      emergencyContact: null,
    },
    sensitiveStatus: 'ok',
    canEdit: true,
    ...overrides,
  };
}

const blank: ProfileValues = {
  phone: '',
  address: '',
  dateOfBirth: '',
  nationality: '',
  nationalIdNumber: '',
  bankAccount: '',
  emergencyContact: '',
};

describe('profile validation (mirrors the server)', () => {
  it('accepts an empty profile: every field is optional', () => {
    expect(validateProfile(blank)).toEqual({});
  });

  it('returns the server’s field codes', () => {
    expect(
      validateProfile({
        phone: '12',
        address: 'a'.repeat(301),
        dateOfBirth: '1990-02-30',
        nationality: 'n'.repeat(101),
        nationalIdNumber: 'x'.repeat(51),
        bankAccount: 'NL91 ABNA 0417 1643 00\n',
        emergencyContact: 'e'.repeat(301),
      }),
    ).toEqual({
      phone: 'invalid_phone',
      address: 'too_long',
      dateOfBirth: 'invalid_date',
      nationality: 'too_long',
      nationalIdNumber: 'too_long',
      emergencyContact: 'too_long',
      // No bankAccount: a trailing line break is trimmed away first, as on the server.
    });
    expect(
      validateProfile({
        ...blank,
        address: 'a'.repeat(300),
        nationality: 'n'.repeat(100),
        nationalIdNumber: 'x'.repeat(50),
        bankAccount: 'b'.repeat(50),
        emergencyContact: 'e'.repeat(300),
      }),
    ).toEqual({});
  });

  it('sends every field, trimmed, with null for empty ones', () => {
    const body: SensitiveProfile = toSensitiveProfile({ ...blank, phone: ' +31 6 1234 5678 ', nationality: 'Dutch' });
    expect(body).toEqual({
      phone: '+31 6 1234 5678',
      address: null,
      dateOfBirth: null,
      nationality: 'Dutch',
      nationalIdNumber: null,
      bankAccount: null,
      emergencyContact: null,
    });
  });
});

describe('profile form', () => {
  it('shows field errors before sending, then saves and confirms', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, applicant),
      [`GET ${profilePath}`]: () => jsonResponse(200, profile()),
      [`GET /api/people/${applicant.id}/documents`]: () => jsonResponse(200, []),
      [`PUT ${profilePath}`]: (req) =>
        jsonResponse(200, profile({ sensitive: req.body as SensitiveProfile })),
    });
    renderApp('/portal');
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'My personal details' });
    const phone = await within(section).findByLabelText(/^Phone number/);
    expect(phone).toHaveValue('+31 6 1234 5678');
    expect(within(section).getByLabelText(/^Date of birth/)).toHaveValue('1990-05-17');

    await user.clear(phone);
    await user.type(phone, 'call me');
    await user.type(within(section).getByLabelText(/^National ID number/), 'x'.repeat(51));
    await user.click(within(section).getByRole('button', { name: 'Save details' }));
    expect(within(section).getByText('Enter a valid phone number.')).toBeInTheDocument();
    expect(within(section).getByText('This is too long.')).toBeInTheDocument();
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(requests.some((r) => r.method === 'PUT')).toBe(false);

    await user.clear(phone);
    await user.type(phone, '+31 6 1111 2222');
    await user.clear(within(section).getByLabelText(/^National ID number/));
    await user.type(within(section).getByLabelText(/^Address/), '  Kerkstraat 1, Amsterdam ');
    await user.click(within(section).getByRole('button', { name: 'Save details' }));
    expect(await screen.findByText('The details have been saved.')).toBeInTheDocument();
    const put = requests.find((r) => r.method === 'PUT');
    expect(put?.headers.get('X-Crewplots-Csrf')).toBe('1');
    expect(put?.body).toEqual({
      phone: '+31 6 1111 2222',
      address: 'Kerkstraat 1, Amsterdam',
      dateOfBirth: '1990-05-17',
      nationality: null,
      nationalIdNumber: null,
      bankAccount: null,
      emergencyContact: null,
    });
    await waitFor(() => expect(within(section).getByLabelText(/^Address/)).toHaveValue('Kerkstraat 1, Amsterdam'));
  });

  it('puts the server’s field codes under the fields', async () => {
    mockApi({
      [`GET ${profilePath}`]: () => jsonResponse(200, profile()),
      [`PUT ${profilePath}`]: () => errorResponse(422, 'validation_failed', { dateOfBirth: 'invalid_date' }),
    });
    renderUi(<ProfilePanel personId={applicant.id} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Save details' }));
    expect(await screen.findByText('Enter a valid date.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Date of birth/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveTextContent('Some fields need your attention.');
  });

  it('explains a store that cannot save', async () => {
    mockApi({
      [`GET ${profilePath}`]: () => jsonResponse(200, profile()),
      [`PUT ${profilePath}`]: () => errorResponse(503, 'store_unavailable'),
    });
    renderUi(<ProfilePanel personId={applicant.id} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Save details' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Secure storage is temporarily unavailable. Try again shortly.',
    );
  });

  it('is read-only without canEdit', async () => {
    mockApi({
      [`GET ${profilePath}`]: () =>
        jsonResponse(200, profile({ canEdit: false, sensitive: { ...profile().sensitive, nationality: 'Dutch' } })),
    });
    renderUi(<ProfilePanel personId={applicant.id} />);
    const panel = await screen.findByRole('region', { name: 'Personal details' });
    await within(panel).findByText('Only the person and administrators can change these details.');
    expect(within(panel).queryByRole('textbox')).not.toBeInTheDocument();
    expect(within(panel).queryByRole('button', { name: 'Save details' })).not.toBeInTheDocument();
    expect(within(panel).getByText('+31 6 1234 5678')).toBeInTheDocument();
    expect(within(panel).getByText('Dutch')).toBeInTheDocument();
    expect(within(panel).getAllByText('Not filled in')).toHaveLength(4);
    // The account part is there too.
    expect(within(panel).getByText(applicant.email)).toBeInTheDocument();
  });

  it('says when the secure part cannot be read, and still shows the rest', async () => {
    mockApi({
      [`GET ${profilePath}`]: () => jsonResponse(200, profile({ sensitive: null, sensitiveStatus: 'unavailable' })),
    });
    renderUi(<ProfilePanel personId={applicant.id} />, { language: 'nl' });
    const panel = await screen.findByRole('region', { name: 'Persoonlijke gegevens' });
    expect(
      await within(panel).findByText('Beveiligde gegevens zijn tijdelijk niet beschikbaar; de rest wordt getoond.'),
    ).toBeInTheDocument();
    expect(within(panel).getByText('Eva Tester')).toBeInTheDocument();
    expect(within(panel).getByText(applicant.email)).toBeInTheDocument();
    expect(within(panel).queryByRole('textbox')).not.toBeInTheDocument();
  });

  it('offers an empty form when nothing was filled in yet', async () => {
    mockApi({
      [`GET ${profilePath}`]: () => jsonResponse(200, profile({ sensitive: null, sensitiveStatus: 'empty' })),
    });
    renderUi(<ProfilePanel personId={applicant.id} />);
    expect(await screen.findByText('No personal details have been filled in yet.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Phone number/)).toHaveValue('');
  });
});
