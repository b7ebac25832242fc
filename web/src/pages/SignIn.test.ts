import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import SignIn from './SignIn.svelte';

// jsdom has no IntersectionObserver; sv-router's link preloading needs one when the router module loads.
vi.hoisted(() => {
  class NoIntersectionObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  // Only the three methods sv-router calls exist; the cast says so.
  globalThis.IntersectionObserver ??= NoIntersectionObserver as unknown as typeof IntersectionObserver;
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('SignIn page', () => {
  it("shows the server's message when the credentials are refused", async () => {
    const calls: [string, RequestInit | undefined][] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response(
        JSON.stringify({ error: { code: 'INVALID_CREDENTIALS', message: 'Invalid email or password.' } }),
        {
          status: 401,
          headers: { 'content-type': 'application/json' },
        },
      );
    });
    render(SignIn);
    await fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'judge@court.example' } });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'not-the-password' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Invalid email or password.');
    expect(calls[0]?.[0]).toBe('/api/auth/sign-in');
    expect(JSON.parse(String(calls[0]?.[1]?.body))).toEqual({
      email: 'judge@court.example',
      password: 'not-the-password',
    });
  });
});
