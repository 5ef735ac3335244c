// Deciding on a request of the inbox (requests.ts): apart from the reads, because it refreshes the manager's
// week too (approved time off shows in the grid and the rule engine now refuses those days), and the navigation,
// which loads requests.ts on every page, should not carry the week's module.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { isApiError } from './client';
import { requestEndpoints, requestKeys } from './requests';
import { scheduleKeys } from './schedule';
import type { TimeOffDecisionBody } from './selfServiceTypes';

export function useDecideTimeOff() {
  const client = useQueryClient();
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: requestKeys.all }),
      // Approved time off shows in the week grid and the rule engine now refuses those days.
      client.invalidateQueries({ queryKey: scheduleKeys.all }),
    ]);
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: TimeOffDecisionBody }) => requestEndpoints.decideTimeOff(id, body),
    onSuccess: refresh,
    // Somebody else decided first: show how it stands now.
    onError: (error) => (isApiError(error) && error.status === 409 ? refresh() : undefined),
  });
}
