/**
 * The import wizard: 1) the source checked, 2) its events, ticked and previewed, 3) fetch or cache into a feed,
 * 4) progress, 5) the report. Earlier steps stay reachable from the step list while no import runs.
 */
import { useImportJob } from '../../app/jobs';
import { DestinationStep } from './DestinationStep';
import { PreviewStep } from './PreviewStep';
import { ProgressStep } from './ProgressStep';
import { SourceStep } from './SourceStep';
import { WIZARD_STEPS, useWizard, type WizardStep } from './wizard-state';

function StepContent({ step }: { step: WizardStep }) {
  switch (step) {
    case 'source':
      return <SourceStep />;
    case 'preview':
      return <PreviewStep />;
    case 'destination':
      return <DestinationStep />;
    case 'progress':
    case 'report':
      return <ProgressStep />;
    default: {
      const exhaustive: never = step;
      return exhaustive;
    }
  }
}

export function ImportWizard() {
  const wizard = useWizard();
  const { state } = wizard;
  const job = useImportJob(state.jobId);
  const running = job?.status === 'running';
  // The progress step turns into the report once the job is over; no effect needed to move along.
  const step: WizardStep = state.step === 'progress' && job && !running ? 'report' : state.step;
  const reachable = (s: WizardStep): boolean => {
    switch (s) {
      case 'source':
        return !running;
      case 'preview':
      case 'destination':
        return !running && state.preview !== null;
      case 'progress':
      case 'report':
        return job !== null;
      default: {
        const exhaustive: never = s;
        return exhaustive;
      }
    }
  };

  return (
    <section className="screen" aria-labelledby="wizard-title">
      <header className="screen-header">
        <h1 id="wizard-title">Open a feed</h1>
        <ol className="steps" aria-label="Import steps">
          {WIZARD_STEPS.map((s, n) => (
            <li key={s.id}>
              <button type="button" aria-current={s.id === step ? 'step' : undefined} disabled={!reachable(s.id) || s.id === step} onClick={() => wizard.goTo(s.id === 'report' ? 'progress' : s.id)}>
                <span className="step-number">{n + 1}</span> {s.label}
              </button>
            </li>
          ))}
        </ol>
      </header>
      <StepContent step={step} />
    </section>
  );
}
