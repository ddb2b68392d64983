import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sampleWorkflow } from '../testSamples.ts';
import { EditorLegend } from './EditorLegend.tsx';

const intake = sampleWorkflow('patient-intake.current');

describe('EditorLegend', () => {
  it('keys the touch-time colours when the steps are coloured by it, in minutes', () => {
    render(
      <EditorLegend workflow={intake} heat="touch" marks={undefined} drift={undefined} lastCheck={null} />,
    );
    const legend = screen.getByRole('region', { name: 'Legend' });
    const heading = within(legend).getByRole('heading', { level: 4, name: 'Touch time per step' });
    const buckets = within(heading.parentElement as HTMLElement).getAllByRole('listitem');
    expect(buckets[0]?.textContent?.trim()).toBe('none');
    expect(buckets.length).toBeGreaterThan(2);
    for (const bucket of buckets.slice(1)) expect(bucket.textContent).toMatch(/\d.* min/);
    expect(within(legend).getByText('Each step also shows its minutes as text.')).toBeTruthy();
  });

  it('keys no colours while the steps are not coloured, but always the kinds and what is not digital', () => {
    render(
      <EditorLegend workflow={intake} heat="off" marks={undefined} drift={undefined} lastCheck={null} />,
    );
    const legend = screen.getByRole('region', { name: 'Legend' });
    expect(within(legend).queryByRole('heading', { name: /per step$/ })).toBeNull();
    expect(within(legend).getByRole('heading', { name: 'Step kinds' })).toBeTruthy();
    expect(within(legend).getByRole('heading', { name: 'Not digital: look here first' })).toBeTruthy();
  });
});
