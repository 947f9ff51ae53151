"""Taking part: responses, answers, replies and how their text is rendered. Commands (writes)
and views (reads) are separate modules."""
