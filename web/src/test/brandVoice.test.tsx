import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { splitExamples, type BrandVoice, type VoiceScore } from '../api/ai';
import { BrandVoicePanel } from '../pages/settings/BrandVoicePanel';
import { bodyOf, envelope, json, routedFetch, type Route } from './helpers';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const VOICE = /\/api\/v1\/workspaces\/w1\/ai\/brand-voice$/;
const SCORE = /\/api\/v1\/workspaces\/w1\/ai\/brand-voice\/score$/;

const notLearned: BrandVoice = { profile: null, sources: null, updatedAt: null };
const learned: BrandVoice = {
  profile: {
    samples: 8,
    dimensions: [
      { dimension: 'sentenceLength', mean: 5.56, spread: 1.2 },
      { dimension: 'we', mean: 6.25, spread: 2 },
    ],
    keyPhrases: ['fresh sourdough', 'croissant box'],
    vocabulary: ['fresh', 'sourdough', 'croissant', 'box'],
  },
  sources: { examples: 3, bestPosts: { count: 5, rankedBy: 'engagement' } },
  updatedAt: '2026-12-01T05:00:00Z',
};
const scored: VoiceScore = {
  score: 51,
  dimensions: [{ dimension: 'sentenceLength', draft: 33, usual: 5.56, score: 12, explanation: 'Sentences about 6 times as long as your usual (33 vs your usual 5.56 words per sentence)' }],
  findings: ['Sentences about 6 times as long as your usual (33 vs your usual 5.56 words per sentence)', 'More formal than usual'],
};

function setup(voice: BrandVoice, extra: Route[] = []) {
  const double = routedFetch([...extra, { method: 'GET', url: VOICE, respond: () => json(200, voice) }]);
  vi.stubGlobal('fetch', double.fetcher);
  return double;
}

describe('splitExamples', () => {
  it('takes one example per line, or blank-line separated examples that span lines', () => {
    expect(splitExamples('Warm bread at 7!\n\n  Croissants are back  \n')).toEqual(['Warm bread at 7!', 'Croissants are back']);
    expect(splitExamples('First line\nstill the first\n\nSecond\r\n\r\nThird')).toEqual(['First line\nstill the first', 'Second', 'Third']);
    expect(splitExamples('one\ntwo\nthree')).toEqual(['one', 'two', 'three']);
    expect(splitExamples('  \n \n')).toEqual([]);
  });
});

describe('BrandVoicePanel', () => {
  it('learns from pasted examples and shows the profile and what it was learned from', async () => {
    const { to } = setup(notLearned, [{ method: 'PUT', url: VOICE, respond: () => json(200, learned) }]);
    render(<BrandVoicePanel workspace="w1" canEdit />);
    expect(await screen.findByText(/Not learned yet/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Score' })).toBeDisabled();

    fireEvent.change(screen.getByLabelText('Examples in your voice'), { target: { value: 'Fresh sourdough, every morning!\nWe saved you a croissant box.\nCome early :)' } });
    expect(screen.getByText(/3 examples\./)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/best posts/), { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Learn the voice' }));

    expect(await screen.findByText('Learned. Drafts are now scored against this voice.')).toBeInTheDocument();
    expect(bodyOf(to('PUT', VOICE)[0])).toEqual({ examples: ['Fresh sourdough, every morning!', 'We saved you a croissant box.', 'Come early :)'], bestPosts: 10 });
    expect(screen.getByText(/Learned from 8 texts: 3 pasted examples and 5 of your best posts by engagement/)).toBeInTheDocument();
    expect(screen.getByText('fresh sourdough · croissant box')).toBeInTheDocument();
    const row = screen.getByRole('row', { name: /Words per sentence/ });
    expect(row).toHaveTextContent('5.56');
    expect(row).toHaveTextContent('± 1.20');
    expect(screen.getByRole('button', { name: 'Score' })).toBeEnabled();
  });

  it('shows the field message when the API refuses to learn', async () => {
    setup(notLearned, [{ method: 'PUT', url: VOICE, respond: () => envelope(422, 'VALIDATION_ERROR', 'some fields are invalid', { examples: 'give example texts, or write some posts first: there is nothing to learn from' }) }]);
    render(<BrandVoicePanel workspace="w1" canEdit />);
    fireEvent.click(await screen.findByRole('button', { name: 'Learn the voice' }));
    expect(await screen.findByText('give example texts, or write some posts first: there is nothing to learn from')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('some fields are invalid');
  });

  it('scores a draft and lists the findings', async () => {
    const { to } = setup(learned, [{ method: 'POST', url: SCORE, respond: () => json(200, scored) }]);
    render(<BrandVoicePanel workspace="w1" canEdit />);
    const form = await screen.findByRole('form', { name: 'Score a draft' });
    fireEvent.change(within(form).getByLabelText('Draft'), { target: { value: 'We are pleased to announce the availability of our artisanal products.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Score' }));

    expect(await within(form).findByText('51/100')).toBeInTheDocument();
    expect(within(form).getByText(/unlike your voice/)).toBeInTheDocument();
    const findings = within(form).getByRole('list', { name: 'What differs from your voice' });
    expect(within(findings).getAllByRole('listitem').map((li) => li.textContent)).toEqual(scored.findings);
    expect(bodyOf(to('POST', SCORE)[0])).toEqual({ text: 'We are pleased to announce the availability of our artisanal products.' });
  });

  it('is read-only without settings:update, but still scores drafts', async () => {
    setup(learned, [{ method: 'POST', url: SCORE, respond: () => json(200, { ...scored, score: 93, findings: [] }) }]);
    render(<BrandVoicePanel workspace="w1" canEdit={false} />);
    expect(await screen.findByLabelText('Examples in your voice')).toBeDisabled();
    expect(screen.getByText(/Only people who may change the workspace settings/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Learn the voice' })).toBeNull();

    fireEvent.change(screen.getByLabelText('Draft'), { target: { value: 'Fresh sourdough at 7, we saved you one!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Score' }));
    expect(await screen.findByText('93/100')).toBeInTheDocument();
    expect(screen.getByText('Nothing stands out from your usual style.')).toBeInTheDocument();
  });
});
