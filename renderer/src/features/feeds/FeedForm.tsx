/**
 * Add or edit a feed with MISP's fields. What was typed stays when the engine refuses; the refusal shows next to the
 * field it is about (and at the top when it is about no field in particular).
 */
import { useState, type FormEvent } from 'react';
import type { IpcError } from '../../../../shared/ipc/envelope';
import { useEnvironment } from '../../app/engine-context';
import type { FeedSummary } from '../../app/types';
import { CheckField, SelectField, TextAreaField, TextField } from '../../components/fields';
import {
  FEED_DISTRIBUTIONS,
  INPUT_SOURCES,
  SOURCE_FORMATS,
  emptyFeedForm,
  fieldError,
  formFromSettings,
  settingsFromForm,
  type FeedField,
  type FeedFormValues,
} from './feed-form-model';

export function FeedForm({ feed, onSaved, onCancel }: {
  /** The feed to edit; absent to add one. */
  feed?: FeedSummary;
  onSaved: (feed: FeedSummary) => void;
  onCancel: () => void;
}) {
  const { engine } = useEnvironment();
  const [values, setValues] = useState<FeedFormValues>(() => (feed ? formFromSettings(feed.settings) : emptyFeedForm()));
  const [error, setError] = useState<IpcError | null>(null);
  const [saving, setSaving] = useState(false);
  const mapped = error ? fieldError(error) : null;
  const errorOf = (f: FeedField) => (mapped?.field === f ? mapped.message : null);
  const set = <K extends FeedField>(field: K) => (value: FeedFormValues[K]) => setValues((v) => ({ ...v, [field]: value }));
  const text = (field: { [K in FeedField]: FeedFormValues[K] extends string ? K : never }[FeedField]) => ({
    value: values[field],
    onChange: set(field),
    error: errorOf(field),
  });
  const check = (field: { [K in FeedField]: FeedFormValues[K] extends boolean ? K : never }[FeedField]) => ({
    checked: values[field],
    onChange: set(field),
    error: errorOf(field),
  });
  const title = feed ? `Edit feed ${feed.settings.name}` : 'Add feed';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    const result = feed
      ? await engine.call('feeds.edit', { id: feed.id, changes: settingsFromForm(values, feed.settings) })
      : await engine.call('feeds.add', settingsFromForm(values));
    setSaving(false);
    if (result.ok) {
      setError(null);
      onSaved(result.value);
    } else setError(result.error);
  };

  const parsed = values.sourceFormat !== 'misp';
  return (
    <form className="panel-form" aria-label={title} onSubmit={(e) => void submit(e)} noValidate>
      <h2>{title}</h2>
      {error && (
        <p role="alert" className="error-box">
          {feed ? 'The feed was not changed' : 'The feed was not added'}
          {mapped ? '; the field marked below says why.' : `: ${error.message}`}
        </p>
      )}
      <fieldset>
        <legend>Feed</legend>
        <TextField label="Name" {...text('name')} autoFocus />
        <TextField label="Provider" {...text('provider')} placeholder="CIRCL" />
        <SelectField label="Source format" value={values.sourceFormat} onChange={set('sourceFormat')} options={SOURCE_FORMATS} error={errorOf('sourceFormat')} />
        <SelectField label="Input source" value={values.inputSource} onChange={set('inputSource')} options={INPUT_SOURCES} error={errorOf('inputSource')} />
        <TextField
          label={values.inputSource === 'local' ? 'Path' : 'URL'}
          wide
          mono
          {...text('url')}
          placeholder={values.inputSource === 'local' ? '/media/usb/feeds/circl-osint' : 'https://www.circl.lu/doc/misp/feed-osint'}
          hint={values.inputSource === 'local' ? (parsed ? 'a file to parse' : 'a folder holding manifest.json') : undefined}
        />
      </fieldset>
      <fieldset>
        <legend>Handling</legend>
        <SelectField label="Distribution" value={values.distribution} onChange={set('distribution')} options={FEED_DISTRIBUTIONS} error={errorOf('distribution')} />
        {values.distribution === '4' && <TextField label="Sharing group id" type="number" {...text('sharingGroupId')} />}
        <TextField label="Default tag" {...text('tagName')} placeholder="none" mono />
        <TextField label="Tag colour" type="color" {...text('tagColour')} />
        <CheckField label="Enabled" {...check('enabled')} />
        <CheckField label="Caching enabled" {...check('cachingEnabled')} />
        <CheckField label="Lookup visible" {...check('lookupVisible')} hint="Show this feed's cache hits to everyone who looks a value up" />
      </fieldset>
      <fieldset>
        <legend>Filter rules</legend>
        <TextAreaField label="Tags OR" {...text('tagsOr')} rows={2} mono hint="one per line; events need one of them" />
        <TextAreaField label="Tags NOT" {...text('tagsNot')} rows={2} mono hint="events with any of them are skipped" />
        <TextAreaField label="Orgs OR" {...text('orgsOr')} rows={2} mono />
        <TextAreaField label="Orgs NOT" {...text('orgsNot')} rows={2} mono />
      </fieldset>
      {parsed && (
        <fieldset>
          <legend>{values.sourceFormat === 'csv' ? 'CSV' : 'Freetext'} settings</legend>
          {values.sourceFormat === 'csv' && (
            <>
              <TextField label="Value columns" {...text('csvValueColumns')} mono placeholder="all" hint="e.g. 2,3" />
              <TextField label="Delimiter" {...text('csvDelimiter')} mono />
            </>
          )}
          <TextField label="Exclusion regex" {...text('excludeRegex')} mono placeholder="/^#/" />
          <CheckField label="Publish events" {...check('publish')} />
          <CheckField label="Override IDS flag" {...check('overrideIds')} />
          <CheckField label="Fixed event" {...check('fixedEvent')} />
          <CheckField label="Delta merge" {...check('deltaMerge')} />
        </fieldset>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {feed ? 'Save changes' : 'Add feed'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
