// A view that throws while rendering (an answer of an unexpected shape, a bug) shows a message
// and the way out instead of a blank page. Keyed by the route in app.tsx, so navigating resets it.
import { Component, type ComponentChildren } from 'preact';
import { href } from '../lib/router.js';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ComponentChildren }, State> {
  override state: State = { error: null };

  static override getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    console.error('dashboard view failed', error);
  }

  override render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <>
        <h1>Something went wrong</h1>
        <p role="alert">This page could not be shown: {error.message}</p>
        <p>
          <a href={href.overview}>Go to the overview</a> or reload the page.
        </p>
      </>
    );
  }
}
