import { Component, type ComponentChildren } from 'preact';

interface Props {
  /** The current path: a failed page is forgotten once the user goes elsewhere. */
  path: string;
  children: ComponentChildren;
}

/** Keeps a page that failed to render (a bug) from blanking the whole app, header included. */
export class PageBoundary extends Component<Props, { failedAt: string | null }> {
  override state = { failedAt: null as string | null };

  override componentDidCatch(error: unknown): void {
    console.error('page failed to render', error);
    this.setState({ failedAt: this.props.path });
  }

  override render() {
    if (this.state.failedAt !== null && this.state.failedAt === this.props.path) return <PageFailed />;
    return this.props.children;
  }
}

/** Also what a page whose code could not be downloaded (a new deploy, the network) shows. */
export function PageFailed() {
  return (
    <div role="alert">
      <h1>This page could not be shown</h1>
      <p>Something went wrong while loading it. Reloading usually helps.</p>
      <p>
        <button type="button" onClick={() => location.reload()}>
          Reload
        </button>
      </p>
    </div>
  );
}
