"""What every stage shares: diagnostics, positions, digests, text helpers, the site
folder's layout. It imports nothing else of focue_ssg."""
